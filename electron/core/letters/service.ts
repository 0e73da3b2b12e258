/**
 * The credential letters capability. A batch (letters.issue) takes a selection (ids, or a list query: a class, a
 * preset), skips the accounts whose state forbids a letter, then, online only, asks the directory for one new temporary
 * password per account through the accounts capability's password run (the single code path of every reset: checks,
 * mirror, action record and audit in one transaction) and prints each password at once on its letter, in PDF files of
 * at most 500 letters (or one per class) written through the shared export file module into the chosen folder.
 *
 * A password lives in memory only from the directory's answer until its page is written to the file stream; it is
 * never written to SQLite, the WAL, the logs, events, the audit trail, the outbox, a temporary file of its own or the
 * letter log. Reprinting a letter means a new password. A cancelled batch keeps the letters made so far (their file is
 * completed and kept) and reports which accounts got a new password; so does the letter log.
 */
import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, statSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { LetterBatch, LetterIssueReport, LetterPresetInfo, LetterPreview, LetterSkipCode } from '../../../shared/api/methods/letters';
import type { AccountFilters } from '../../../shared/api/methods/accounts';
import { ApiError } from '../../../shared/api/errors';
import { COLLEGE_MEFS } from '../../../shared/domain/mef';
import type { AccountKind } from '../../../shared/domain/accounts';
import {
  composeLetter,
  DEFAULT_LETTER_BLOCKS,
  LETTER_BLOCK_LIMITS,
  LETTER_BLOCKS,
  LETTERS_PER_FILE,
  PASSWORD_PLACEHOLDER,
  validityEnd,
  type LetterBlocks,
  type LetterEstablishment,
} from '../../../shared/domain/letters';
import type { AccountsService, PasswordRun } from '../accounts/service';
import { facets, matchingIds, searchPage } from '../accounts/query';
import type { CallContext, Handlers } from '../dispatcher';
import { checkExportTarget, writeExportFile } from '../exports/file';
import { settingsView } from '../governance/settings';
import type { JobRegistry } from '../jobs';
import { defaultExportDirectory, localDate } from '../system/export-target';
import { findFontsDir, loadLetterFonts } from './fonts';
import { LetterPdf } from './pdf';
import { loadRecipients, type Recipient } from './recipients';
import { lettersCoreStrings as s } from './strings';

export interface LettersServiceOptions {
  db: Database;
  jobs: JobRegistry;
  /** The accounts capability: its projection refresh and its password run (the one reset code path). */
  accounts: Pick<AccountsService, 'fresh' | 'openPasswordRun'>;
  /** The folder of the letter fonts (the packaged desktop app's resources); default: the project's resources/fonts. */
  fontsDir?: string;
  /** The Documents folder as the desktop shell knows it: the folder suggested for the files. */
  documentsDir?: string;
  /** Letters per file (500; tests lower it). */
  lettersPerFile?: number;
  now?: () => Date;
}

type Selection = { uai: string; kind: AccountKind; ids?: string[]; query?: { text?: string; filters?: AccountFilters } };
type Skipped = LetterIssueReport['skipped'][number];
type Flagged = LetterIssueReport['flagged'][number];

const CONTROL = /\p{Cc}/u;

/** The folder the files go to: absolute, existing, a folder, writable; a French refusal otherwise (nothing is created). */
export function checkOutputDir(raw: string): string {
  if (CONTROL.test(raw) || !isAbsolute(raw)) throw new ApiError('INVALID_INPUT', s.outputDir.relative, { reason: 'relative', path: raw });
  const dir = resolve(raw);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    throw new ApiError('INVALID_INPUT', s.outputDir.missing(dir), { reason: 'folder-missing', path: dir });
  }
  if (!isDirectory) throw new ApiError('INVALID_INPUT', s.outputDir.notAFolder(dir), { reason: 'not-a-folder', path: dir });
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new ApiError('INVALID_INPUT', s.outputDir.notWritable(dir), { reason: 'not-writable', path: dir });
  }
  return dir;
}

/** A class name as a file name part: letters, digits and dashes only. */
const fileSafe = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'sans-classe';

export class LettersService {
  private readonly db: Database;
  private readonly now: () => Date;

  constructor(private readonly options: LettersServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? (() => new Date());
  }

  handlers(): Pick<Handlers, 'letters.presets' | 'letters.preview' | 'letters.issue' | 'letters.log' | 'letters.getTemplate' | 'letters.saveTemplate'> {
    return {
      'letters.presets': ({ uai }) => this.presets(uai),
      'letters.preview': (input) => this.preview(input, input.letters),
      'letters.issue': (input, ctx) => this.issue(input, ctx),
      'letters.log': ({ uai, offset, limit }) => this.log(uai, offset, limit),
      'letters.getTemplate': ({ uai }) => {
        const row = this.templateRow(uai);
        return { blocks: this.blocks(uai), defaults: DEFAULT_LETTER_BLOCKS, limits: LETTER_BLOCK_LIMITS, updatedAt: row?.updated_at ?? null, updatedBy: row?.updated_by ?? null };
      },
      'letters.saveTemplate': ({ uai, blocks }, ctx) => {
        const updatedAt = this.now().toISOString();
        this.db.transaction(() => {
          const before = this.blocks(uai);
          this.db
            .prepare(
              `INSERT INTO letter_templates (uai, blocks, updated_at, updated_by) VALUES (?, ?, ?, ?)
               ON CONFLICT (uai) DO UPDATE SET blocks = excluded.blocks, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
            )
            .run(uai, JSON.stringify(blocks), updatedAt, ctx.operator?.login ?? null);
          const changed = LETTER_BLOCKS.filter((b) => before[b] !== blocks[b]);
          ctx.audit({
            uai,
            targetType: 'letterTemplate',
            targetId: uai,
            before: Object.fromEntries(changed.map((b) => [b, before[b]])),
            after: Object.fromEntries(changed.map((b) => [b, blocks[b]])),
          });
        })();
        return { blocks, updatedAt };
      },
    };
  }

  // ---------------------------------------------------------------- template and establishment

  private templateRow(uai: string): { blocks: string; updated_at: string; updated_by: string | null } | undefined {
    return this.db.prepare('SELECT blocks, updated_at, updated_by FROM letter_templates WHERE uai = ?').get(uai) as
      | { blocks: string; updated_at: string; updated_by: string | null }
      | undefined;
  }

  /** The establishment's blocks, each falling back to its default. */
  blocks(uai: string): LetterBlocks {
    const row = this.templateRow(uai);
    const saved = row ? (JSON.parse(row.blocks) as Partial<LetterBlocks>) : {};
    return Object.fromEntries(LETTER_BLOCKS.map((b) => [b, typeof saved[b] === 'string' ? saved[b] : DEFAULT_LETTER_BLOCKS[b]])) as LetterBlocks;
  }

  private establishment(uai: string): LetterEstablishment {
    const row = this.db.prepare('SELECT name, city FROM establishments WHERE uai = ?').get(uai) as { name: string; city: string | null } | undefined;
    const settings = settingsView(this.db, uai).establishment;
    return {
      uai,
      name: row?.name ?? uai,
      city: row?.city ?? null,
      header: settings?.letterHeader ?? row?.name ?? uai,
      helpContact: settings?.helpContact ?? null,
    };
  }

  // ---------------------------------------------------------------- presets, preview

  private async presets(uai: string): Promise<{
    presets: LetterPresetInfo[];
    divisions: { pupil: { value: string; count: number }[]; guardian: { value: string; count: number }[] };
    outputDir: string;
  }> {
    // Awaited: the projection's refresh may run elsewhere (the sync worker's write thread).
    await this.options.accounts.fresh(uai);
    const sixth = COLLEGE_MEFS.filter((m) => m.label === '6EME').map((m) => m.code);
    const presets: Omit<LetterPresetInfo, 'label' | 'description' | 'count'>[] = [
      { id: 'guardiansNeverNotified', kind: 'guardian', query: { filters: { state: ['non_notifie'] } } },
      { id: 'pupils6eNotActivated', kind: 'pupil', query: { filters: { mef: sixth, state: ['non_notifie', 'notifie'] } } },
      { id: 'pupilsLetterExpired', kind: 'pupil', query: { filters: { attention: ['letterExpired'] } } },
      { id: 'guardiansLetterExpired', kind: 'guardian', query: { filters: { attention: ['letterExpired'] } } },
    ];
    const counted = presets.map((p) => ({
      ...p,
      ...s.presets[p.id],
      count: searchPage(this.db, { kind: p.kind, uai, filters: p.query.filters, offset: 0, limit: 1 }).total,
    }));
    const divisions = (kind: AccountKind) => facets(this.db, { kind, uai }).division;
    return { presets: counted, divisions: { pupil: divisions('pupil'), guardian: divisions('guardian') }, outputDir: defaultExportDirectory(this.options.documentsDir) };
  }

  private async select(input: Selection): Promise<Recipient[]> {
    await this.options.accounts.fresh(input.uai);
    const ids = input.ids ?? matchingIds(this.db, { kind: input.kind, uai: input.uai, ...input.query });
    return loadRecipients(this.db, input.uai, input.kind, ids);
  }

  private skippedOf(r: Recipient, code: LetterSkipCode, reason: string = s.skip[code]): Skipped {
    return { id: r.id, displayName: r.displayName, code, reason };
  }

  private flaggedOf(r: Recipient): Flagged {
    return { id: r.id, displayName: r.displayName, code: 'noAddress', reason: s.noAddress };
  }

  private async preview(input: Selection, letters: number): Promise<LetterPreview> {
    const recipients = await this.select(input);
    const eligible = recipients.filter((r) => r.skip === null);
    const now = this.now();
    const validUntil = validityEnd(now);
    const establishment = this.establishment(input.uai);
    const blocks = this.blocks(input.uai);
    const classes = new Map<string, number>();
    for (const r of eligible) classes.set(r.division ?? '', (classes.get(r.division ?? '') ?? 0) + 1);
    return {
      kind: input.kind,
      selected: recipients.length,
      eligible: eligible.length,
      skipped: recipients.filter((r) => r.skip !== null).map((r) => this.skippedOf(r, r.skip!)),
      flagged: eligible.filter((r) => r.noAddress).map((r) => this.flaggedOf(r)),
      letters: eligible.slice(0, letters).map((r) =>
        composeLetter({ recipient: r.letter!, establishment, login: r.login ?? '', password: PASSWORD_PLACEHOLDER, issuedAt: now, validUntil, blocks }),
      ),
      classes: [...classes].map(([division, count]) => ({ division, count })),
      validUntil: validUntil.toISOString(),
      outputDir: defaultExportDirectory(this.options.documentsDir),
    };
  }

  // ---------------------------------------------------------------- issue

  /** The files of a batch: per class (each cut at the per-file limit) or in runs of the limit. */
  private groups(batchId: string, uai: string, kind: AccountKind, eligible: Recipient[], split: 'size' | 'class', dir: string): { path: string; recipients: Recipient[] }[] {
    const perFile = this.options.lettersPerFile ?? LETTERS_PER_FILE;
    const stem = `courriers-${s.fileKind[kind]}-${uai}-${localDate(this.now())}-${batchId.slice(0, 8)}`;
    const chunks = (list: Recipient[]) => Array.from({ length: Math.ceil(list.length / perFile) }, (_, i) => list.slice(i * perFile, (i + 1) * perFile));
    if (split === 'class') {
      const byClass = new Map<string, Recipient[]>();
      for (const r of eligible) {
        const key = r.division ?? '';
        const list = byClass.get(key);
        if (list) list.push(r);
        else byClass.set(key, [r]);
      }
      return [...byClass].flatMap(([division, list]) => {
        const parts = chunks(list);
        return parts.map((recipients, i) => ({
          path: join(dir, `${stem}-${fileSafe(division)}${parts.length > 1 ? `-${i + 1}` : ''}.pdf`),
          recipients,
        }));
      });
    }
    const parts = chunks(eligible);
    return parts.map((recipients, i) => ({ path: join(dir, `${stem}${parts.length > 1 ? `-${i + 1}` : ''}.pdf`), recipients }));
  }

  private async issue(
    input: Selection & { outputDir: string; split: 'size' | 'class'; jobId?: string },
    ctx: CallContext,
  ): Promise<LetterIssueReport> {
    const { uai, kind } = input;
    if (input.jobId !== undefined && this.options.jobs.get(input.jobId)) throw new ApiError('CONFLICT', s.jobRunning);
    // Everything that can be refused is refused before any password is asked for.
    const dir = checkOutputDir(input.outputDir);
    const recipients = await this.select(input);
    const batchId = randomUUID();
    const report: LetterIssueReport = { batchId, files: [], count: 0, notified: [], skipped: [], flagged: [], cancelled: false, validUntil: null };
    for (const r of recipients) if (r.skip) report.skipped.push(this.skippedOf(r, r.skip));
    const eligible = recipients.filter((r) => r.skip === null);
    if (eligible.length === 0) return report;
    const files = this.groups(batchId, uai, kind, eligible, input.split, dir);
    for (const file of files) checkExportTarget({ path: file.path, format: 'pdf' });
    const fonts = loadLetterFonts(findFontsDir(this.options.fontsDir));
    const establishment = this.establishment(uai);
    const blocks = this.blocks(uai);
    let run: PasswordRun;
    try {
      run = await this.options.accounts.openPasswordRun(ctx, uai);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAVAILABLE') throw new ApiError('UNAVAILABLE', s.offline);
      throw error;
    }

    const startedAt = this.now().toISOString();
    // The batch enters the log with its first new password (in that reset's transaction): a batch refused before
    // leaves no trace but the audit trail's refusal.
    let logged = false;
    const logBatch = this.db.prepare(
      `INSERT INTO letter_batches (id, uai, kind, operator, started_at, state, split, selected) VALUES (?, ?, ?, ?, ?, 'running', ?, ?)`,
    );
    const logAccount = this.db.prepare(
      `INSERT INTO letter_batch_accounts (batch_id, seq, person_kind, person_id, account_id, login, file, no_address, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let validUntil: string | null = null;
    let unreachable = false;
    let processed = 0;
    let failure: unknown = null;
    const job = { id: input.jobId, kind: 'letters' as const, uai, label: s.job(eligible.length), total: eligible.length };
    try {
      await this.options.jobs.run(job, async (running) => {
        for (const file of files) {
          const stopped = () => running.cancelled || unreachable;
          if (stopped()) {
            for (const r of file.recipients) report.skipped.push(this.skippedOf(r, running.cancelled ? 'cancelled' : 'unreachable'));
            continue;
          }
          const written = await writeExportFile({ path: file.path, format: 'pdf' }, async (out) => {
            const pdf = new LetterPdf(out, fonts, { title: s.documentTitle(kind, establishment.name), now: this.now() });
            for (const r of file.recipients) {
              if (stopped()) {
                report.skipped.push(this.skippedOf(r, running.cancelled ? 'cancelled' : 'unreachable'));
                continue;
              }
              const at = this.now().toISOString();
              const row = await run.reset({ kind, id: r.id }, (account, data) => {
                if (!logged) logBatch.run(batchId, uai, kind, ctx.operator?.login ?? null, startedAt, input.split, recipients.length);
                logged = true;
                logAccount.run(batchId, report.count + 1, kind, r.id, account.id, data.login, basename(file.path), r.noAddress ? 1 : 0, at);
              });
              if (row.outcome === 'done') {
                const end = row.letterExpiresAt ? new Date(row.letterExpiresAt) : validityEnd(this.now());
                if (validUntil === null || end.toISOString() > validUntil) validUntil = end.toISOString();
                await pdf.add(
                  composeLetter({ recipient: r.letter!, establishment, login: row.login, password: row.temporaryPassword, issuedAt: this.now(), validUntil: end, blocks }),
                );
                report.count += 1;
                report.notified.push({ id: r.id, displayName: r.displayName, login: row.login, file: file.path });
                if (r.noAddress) report.flagged.push(this.flaggedOf(r));
              } else {
                if (row.unreachable) unreachable = true;
                report.skipped.push(this.skippedOf(r, row.unreachable ? 'unreachable' : 'refused', row.unreachable ? s.skip.unreachable : row.message));
              }
              processed += 1;
              if (processed % 5 === 0) await running.progress(processed, eligible.length);
            }
            // A file with no letter is not kept; one with letters is, even when the batch was stopped half-way.
            if (pdf.pageCount === 0) return { cancelled: true };
            await pdf.finish();
            return {};
          });
          if (!written.cancelled) report.files.push(written.path);
        }
        await running.progress(eligible.length, eligible.length);
        report.cancelled = running.cancelled;
      });
    } catch (error) {
      failure = error;
    }
    // Unreachable at the first account: nothing was changed, the plain offline refusal.
    if (!logged && failure instanceof ApiError && failure.code === 'UNAVAILABLE') throw new ApiError('UNAVAILABLE', s.offline);
    if (!logged) {
      if (failure) throw failure;
      report.validUntil = validUntil;
      return report;
    }
    const state = failure ? 'failed' : report.cancelled ? 'cancelled' : 'done';
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE letter_batches SET state = ?, finished_at = ?, valid_until = ?, files = ?, skipped = ? WHERE id = ?')
        .run(state, this.now().toISOString(), validUntil, JSON.stringify(report.files), report.skipped.length, batchId);
      ctx.audit({
        uai,
        targetType: 'letterBatch',
        targetId: batchId,
        after: {
          kind,
          state,
          letters: report.count,
          skipped: report.skipped.length,
          flagged: report.flagged.length,
          files: report.files,
          split: input.split,
          validUntil,
        },
      });
    })();
    if (failure) throw failure;
    report.validUntil = validUntil;
    return report;
  }

  // ---------------------------------------------------------------- log

  private log(uai: string, offset: number, limit: number): { total: number; items: LetterBatch[] } {
    const total = this.db.prepare('SELECT count(*) FROM letter_batches WHERE uai = ?').pluck().get(uai) as number;
    const rows = this.db
      .prepare('SELECT * FROM letter_batches WHERE uai = ? ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?')
      .all(uai, limit, offset) as {
      id: string;
      uai: string;
      kind: AccountKind;
      operator: string | null;
      started_at: string;
      finished_at: string | null;
      state: LetterBatch['state'];
      valid_until: string | null;
      files: string;
      split: 'size' | 'class';
      selected: number;
      skipped: number;
    }[];
    const accounts = this.db.prepare(
      'SELECT person_id AS id, account_id AS accountId, login, file, no_address AS noAddress, at FROM letter_batch_accounts WHERE batch_id = ? ORDER BY seq',
    );
    return {
      total,
      items: rows.map((r) => ({
        batchId: r.id,
        uai: r.uai,
        kind: r.kind,
        operator: r.operator,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        state: r.state,
        validUntil: r.valid_until,
        files: JSON.parse(r.files) as string[],
        split: r.split,
        selected: r.selected,
        skipped: r.skipped,
        accounts: (accounts.all(r.id) as { id: string; accountId: string; login: string; file: string; noAddress: number; at: string }[]).map((a) => ({
          ...a,
          noAddress: a.noAddress === 1,
        })),
      })),
    };
  }
}
