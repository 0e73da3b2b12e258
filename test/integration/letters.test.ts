/**
 * Credential letters through the whole core (real dispatcher, real SQLite files, the demo directory over HTTP on
 * 127.0.0.1): a batch read back with pdftotext (one page per letter, each identifiant once, the validity date, accents),
 * skips and flags, the split into files, the letter log, the refusals before any password (offline, bad folder), a
 * cancelled batch that keeps its letters; and no password printed anywhere in the data folder or the OS temp folder.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import type { LetterBatch, LetterIssueReport, LetterPreview } from '../../shared/api/methods/letters';
import { DEFAULT_LETTER_BLOCKS, frenchDate } from '../../shared/domain/letters';
import type { AccountData, GuardianData } from '../../shared/directory/wire';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator, startDirectory } from './sync-helpers';

let directory: DemoDirectory;
let core: Core;
let uai: string;
const data = tempDir('ecd-letters-');
const out = tempDir('ecd-letters-out-');
const events: string[] = [];
/** Every password read back from the letters of this file's batches. */
const printed: string[] = [];

beforeAll(async () => {
  directory = await startDirectory({ establishments: 1, pupils: 150, today: '2026-11-02' });
  uai = directory.establishments[0]!.uai;
  core = createCore({
    dataDir: data.path,
    directory: directory.url,
    appVersion: '0.0.0-test',
    host: 'browser',
    sync: { retry: FAST_RETRY, log: () => undefined, probeMs: 100 },
    auth: { failureDelayMs: 0 },
    lettersPerFile: 4,
  });
  core.events.subscribe((event, payload) => events.push(`${event} ${JSON.stringify(payload)}`));
  const op = operator(directory, 'multi.demo');
  await core.governance.auth.signIn(op.login, op.password);
  // One guardian without a postal address (a notified one, so that it gets a letter).
  directory.store.transaction(() => {
    const target = directory.store.liveRows(uai, 'account').find((a) => a.data.personKind === 'guardian' && a.data.state === 'non_notifie')!;
    const id = target.data.personId as string;
    directory.store.put(uai, 'guardian', id, { ...directory.store.getLive(uai, 'guardian', id)!.data, address: null });
  });
  await call('sync.run', { uai });
  await core.directory.scheduler.whenIdle();
}, 60_000);

afterAll(async () => {
  await core?.shutdown();
  await directory?.close();
  data.remove();
  out.remove();
});

function call<T = unknown>(method: string, input: unknown): Promise<T> {
  return core.dispatcher.invoke(method, input, { transport: 'internal' }) as Promise<T>;
}

function guardians(where: (a: AccountData | null, g: GuardianData) => boolean): string[] {
  const rows = core.db
    .prepare(
      `SELECT g.id, g.data AS g, a.data AS a FROM dir_guardians g JOIN acc_index i ON i.kind = 'guardian' AND i.person_id = g.id
       LEFT JOIN dir_accounts a ON a.person_kind = 'guardian' AND a.person_id = g.id AND a.deleted = 0
       WHERE g.uai = ? AND g.deleted = 0 ORDER BY g.id`,
    )
    .all(uai) as { id: string; g: string; a: string | null }[];
  return rows.filter((r) => where(r.a ? (JSON.parse(r.a) as AccountData) : null, JSON.parse(r.g) as GuardianData)).map((r) => r.id);
}

/** A file's text, page by page (pdftotext -layout: a label and its value stay on one line). */
function pages(file: string): string[] {
  return execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
}

const passwordsOf = (text: string): string[] => [...text.matchAll(/Mot de passe provisoire :\s+(\S+)/g)].map((m) => m[1]!);

const actions = () => core.db.prepare('SELECT count(*) FROM acc_actions').pluck().get() as number;

/** Every regular file under `dir` (not following links), `skip` excluded. */
function filesUnder(dir: string, skip: string[], depth = 3): string[] {
  if (depth < 0 || skip.includes(dir)) return [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    try {
      const st = lstatSync(path);
      if (st.isDirectory()) return filesUnder(path, skip, depth - 1);
      return st.isFile() && st.size < 64 * 1024 * 1024 ? [path] : [];
    } catch {
      return [];
    }
  });
}

describe('credential letters', () => {
  let report: LetterIssueReport;
  let ids: { notifiable: string[]; active: string; deactivated: string; deleted: string; noAddress: string };

  it('previews a preset: counts, skips with reasons, the first letters with the password masked', async () => {
    const { presets, outputDir } = await call<{ presets: { id: string; kind: string; count: number; query: { filters: object } }[]; outputDir: string }>(
      'letters.presets',
      { uai },
    );
    expect(presets.map((p) => p.id)).toEqual(['guardiansNeverNotified', 'pupils6eNotActivated', 'pupilsLetterExpired', 'guardiansLetterExpired']);
    expect(outputDir).not.toBe('');
    const never = presets[0]!;
    expect(never.count).toBe(guardians((a) => a?.state === 'non_notifie').length);
    const preview = await call<LetterPreview>('letters.preview', { uai, kind: 'guardian', query: never.query });
    expect(preview).toMatchObject({ selected: never.count, eligible: never.count, skipped: [] });
    expect(preview.letters).toHaveLength(3);
    expect(preview.letters[0]!.credentials.password).toMatch(/^•+$/);
    expect(preview.letters[0]!.steps.join(' ')).toContain('date de naissance');
  });

  it('issues a batch: one page per letter, each identifiant once, validity and accents intact, skips and flags', async () => {
    // Accented text of our own in the letter, so the check does not depend on the demo names.
    await call('letters.saveTemplate', {
      uai,
      blocks: { ...DEFAULT_LETTER_BLOCKS, guardianIntro: 'Œuvre commune de l’École et des familles : un accès naïf, sûr et « simple ».' },
    });
    ids = {
      notifiable: guardians((a, g) => a?.state === 'notifie' && g.address !== null).slice(0, 6),
      active: guardians((a) => a?.state === 'active')[0]!,
      deactivated: guardians((a) => a?.state === 'desactive')[0]!,
      deleted: guardians((a) => a?.state === 'supprime')[0]!,
      noAddress: guardians((a, g) => a?.state === 'non_notifie' && g.address === null)[0]!,
    };
    for (const [k, v] of Object.entries(ids)) expect(v, k).toBeDefined();
    const before = actions();
    report = await call<LetterIssueReport>('letters.issue', {
      uai,
      kind: 'guardian',
      ids: [ids.active, ...ids.notifiable, ids.deactivated, ids.noAddress, ids.deleted],
      outputDir: out.path,
    });
    expect(report.count).toBe(7);
    expect(report.cancelled).toBe(false);
    expect(actions()).toBe(before + 7);
    expect(Object.fromEntries(report.skipped.map((s) => [s.id, s.code]))).toEqual({ [ids.active]: 'activated', [ids.deactivated]: 'deactivated', [ids.deleted]: 'deleted' });
    expect(report.skipped.find((s) => s.code === 'deactivated')!.reason).toContain('réactivez-le');
    expect(report.flagged).toEqual([expect.objectContaining({ id: ids.noAddress, code: 'noAddress' })]);
    // 7 letters, 4 per file.
    expect(report.files).toHaveLength(2);
    // Files the app wrote: the desktop's system viewer may open them (system.openFile).
    for (const file of report.files) expect(core.writtenFiles.has(realpathSync(file)), file).toBe(true);
    const texts = report.files.map(pages);
    expect(texts.map((t) => t.length)).toEqual([4, 3]);
    const all = texts.flat().join('\n');
    for (const n of report.notified) expect(all.split(n.login).length - 1, n.login).toBe(1);
    expect(all).toContain(frenchDate(new Date(report.validUntil!)));
    for (const word of ['Œuvre', 'École', 'naïf', 'l’École', '« simple »', 'Je ne suis pas le représentant légal de cet élève']) expect(all).toContain(word);
    // The letter without address: no window block, a hand-delivery line instead.
    const lonely = texts.flat().find((page) => page.includes(report.notified.find((n) => n.id === ids.noAddress)!.login))!;
    expect(lonely).toContain('À remettre en main propre');
    const passwords = passwordsOf(all);
    expect(passwords).toHaveLength(7);
    expect(new Set(passwords).size).toBe(7);
    printed.push(...passwords);
    // Each account is now notified, its letter end that of the letter.
    for (const n of report.notified) {
      const state = (await call<{ account: { state: string } }>('accounts.get', { kind: 'guardian', uai, id: n.id })).account.state;
      expect(state).toBe('notifie');
    }
  });

  it('keeps a letter log: batch, operator, accounts, files, validity end; never a password', async () => {
    const log = await call<{ total: number; items: LetterBatch[] }>('letters.log', { uai });
    const batch = log.items.find((b) => b.batchId === report.batchId)!;
    expect(batch).toMatchObject({ state: 'done', operator: 'multi.demo', kind: 'guardian', files: report.files, selected: 10, skipped: 3, validUntil: report.validUntil });
    expect(batch.accounts.map((a) => a.id)).toEqual(report.notified.map((n) => n.id));
    expect(batch.accounts.find((a) => a.id === ids.noAddress)!.noAddress).toBe(true);
    const audits = core.db.prepare("SELECT * FROM audit_log WHERE method = 'letters.issue'").all();
    expect(audits.length).toBe(8);
    const everything = JSON.stringify([log, audits, core.db.prepare('SELECT * FROM letter_batch_accounts').all(), core.db.prepare('SELECT * FROM outbox').all()]);
    for (const p of printed) expect(everything).not.toContain(p);
  });

  it('splits by class on request, one file per class', async () => {
    const pupils = core.db
      .prepare(
        `SELECT i.person_id, i.division FROM acc_index i JOIN dir_accounts a ON a.person_kind = 'pupil' AND a.person_id = i.person_id AND a.deleted = 0
         WHERE i.uai = ? AND i.kind = 'pupil' AND a.state = 'non_notifie' ORDER BY i.division, i.sort_name`,
      )
      .all(uai) as { person_id: string; division: string }[];
    const divisions = [...new Set(pupils.map((p) => p.division))].slice(0, 2);
    const chosen = divisions.flatMap((d) => pupils.filter((p) => p.division === d).slice(0, 2)).map((p) => p.person_id);
    const byClass = await call<LetterIssueReport>('letters.issue', { uai, kind: 'pupil', ids: chosen, outputDir: out.path, split: 'class' });
    expect(byClass.files.map((f) => f.replace(/^.*-/, ''))).toEqual(divisions.map((d) => `${d}.pdf`));
    const text = byClass.files.map(pages).flat().join('\n');
    expect(text).toContain(`Classe de ${divisions[0]}`);
    expect(text).toContain('Aux bons soins de');
    printed.push(...passwordsOf(text));
  });

  it('refuses a folder that does not exist or is a file, in French, before any password is asked for', async () => {
    const before = actions();
    const notified = guardians((a) => a?.state === 'non_notifie').slice(0, 1);
    await expect(call('letters.issue', { uai, kind: 'guardian', ids: notified, outputDir: join(out.path, 'absent') })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('n’existe pas'),
    });
    const file = join(out.path, 'pas-un-dossier.txt');
    writeFileSync(file, 'x');
    await expect(call('letters.issue', { uai, kind: 'guardian', ids: notified, outputDir: file })).rejects.toMatchObject({
      message: expect.stringContaining('n’est pas un dossier'),
    });
    await expect(call('letters.issue', { uai, kind: 'guardian', ids: notified, outputDir: 'Documents' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(actions()).toBe(before);
  });

  it('offline: a clear French refusal, nothing changed, no file', async () => {
    const before = { actions: actions(), batches: core.db.prepare('SELECT count(*) FROM letter_batches').pluck().get(), files: readdirSync(out.path).length };
    const target = guardians((a) => a?.state === 'non_notifie').slice(1, 3);
    directory.setFaults('error=1');
    try {
      await expect(call('letters.issue', { uai, kind: 'guardian', ids: target, outputDir: out.path })).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        message: expect.stringContaining('Annuaire injoignable'),
      });
    } finally {
      directory.setFaults('');
    }
    expect({ actions: actions(), batches: core.db.prepare('SELECT count(*) FROM letter_batches').pluck().get(), files: readdirSync(out.path).length }).toEqual(before);
  });

  it('a cancelled batch keeps the letters made and says which accounts got a new password', async () => {
    const target = guardians((a) => a?.state === 'non_notifie').slice(3, 15);
    expect(target.length).toBe(12);
    let asked = false;
    const off = core.events.subscribe((event, payload) => {
      const p = payload as { jobId?: string; done?: number };
      if (event === 'job.progress' && p.jobId === 'letters-cancel' && (p.done ?? 0) >= 5 && !asked) {
        asked = true;
        void call('jobs.cancel', { jobId: 'letters-cancel' });
      }
    });
    const cancelled = await call<LetterIssueReport>('letters.issue', { uai, kind: 'guardian', ids: target, outputDir: out.path, jobId: 'letters-cancel' });
    off();
    expect(cancelled.cancelled).toBe(true);
    expect(cancelled.count).toBeGreaterThanOrEqual(5);
    expect(cancelled.count).toBeLessThan(12);
    expect(cancelled.skipped.filter((s) => s.code === 'cancelled')).toHaveLength(12 - cancelled.count);
    const text = cancelled.files.map(pages);
    expect(text.flat()).toHaveLength(cancelled.count);
    for (const f of cancelled.files) expect(statSync(f).size).toBeGreaterThan(0);
    printed.push(...passwordsOf(text.flat().join('\n')));
    const log = await call<{ items: LetterBatch[] }>('letters.log', { uai, limit: 1 });
    expect(log.items[0]).toMatchObject({ batchId: cancelled.batchId, state: 'cancelled' });
    expect(log.items[0]!.accounts.map((a) => a.id)).toEqual(cancelled.notified.map((n) => n.id));
  });

  it('no password printed is found in the data folder (database, WAL, backups, logs) nor in the OS temp folder', () => {
    expect(printed.length).toBeGreaterThan(10);
    core.db.pragma('wal_checkpoint(PASSIVE)');
    const dataFiles = filesUnder(data.path, []);
    expect(dataFiles.some((f) => f.endsWith('.sqlite'))).toBe(true);
    expect(dataFiles.some((f) => f.endsWith('-wal'))).toBe(true);
    // The OS temp folder, but for the folder the letters were written to (the letters themselves hold the passwords).
    const temp = filesUnder(tmpdir(), [out.path], 2);
    const found: string[] = [];
    for (const file of [...dataFiles, ...temp]) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue;
      }
      for (const p of printed) if (bytes.includes(Buffer.from(p))) found.push(`${file}: ${p}`);
    }
    expect(found).toEqual([]);
    expect(events.join('\n')).not.toMatch(new RegExp(printed.join('|')));
    // Nothing of ours left in the output folder but the letters: no temporary file.
    expect(readdirSync(out.path).filter((n) => n.startsWith('.'))).toEqual([]);
    expect(existsSync(join(out.path, 'absent'))).toBe(false);
    mkdirSync(join(out.path, 'fin'));
  });
});
