/**
 * The imports capability: preview (read the files as a job, check them, plan against the school records and the
 * directory, keep the plan's changes), apply (one transaction: school records, review items, audit entry), the
 * report, the history, and the generic CSV's column mapping. Rights are the dispatcher's (docs/imports.md).
 */
import type { Database } from 'better-sqlite3';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ImportPreview } from '../../../shared/api/methods/imports';
import { ApiError } from '../../../shared/api/errors';
import type { CallContext, Handlers } from '../dispatcher';
import type { EventBus } from '../events';
import type { JobRegistry } from '../jobs';
import { markConflicts } from '../review/ingest';
import { ReviewStore } from '../review/store';
import { mappedColumns, readCsvTable, suggestMapping } from './csv';
import { planImport } from './plan';
import { checkFile, readSchoolBase } from './read';
import { writeReport } from './report';
import {
  appliedSince,
  getMapping,
  getPreview,
  history,
  listChanges,
  loadSnapshot,
  purgePreviews,
  sameFilesAppliedAt,
  saveMapping,
  savePreview,
  writePlan,
} from './store';
import { importStrings as s } from './strings';
import { cancelledError } from './xml';

export interface ImportsServiceOptions {
  db: Database;
  events: EventBus;
  jobs: JobRegistry;
  now?: () => Date;
  log?: (message: string) => void;
}

export type ImportsHandlers = Pick<
  Handlers,
  'imports.preview' | 'imports.changes' | 'imports.apply' | 'imports.report' | 'imports.history' | 'imports.csvColumns' | 'imports.saveMapping'
>;

/** The sha256 of the files' bytes, in order: the same files imported again are recognised. */
async function fingerprint(paths: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const path of paths) {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
    hash.update('\0');
  }
  return hash.digest('hex');
}

export class ImportsService {
  private readonly db: Database;
  private readonly now: () => Date;
  private readonly log: (message: string) => void;
  private readonly reviews: ReviewStore;

  constructor(private readonly options: ImportsServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? ((message) => console.warn(`[imports] ${message}`));
    this.reviews = new ReviewStore(options.db);
  }

  handlers(): ImportsHandlers {
    return {
      'imports.preview': (input, ctx) => this.preview(input, ctx),
      'imports.changes': ({ previewId, ...filter }) => {
        this.previewOrThrow(previewId);
        return listChanges(this.db, previewId, filter);
      },
      'imports.apply': (input, ctx) => this.apply(input, ctx),
      'imports.report': async ({ previewId, path, overwrite }, ctx) => {
        const preview = this.previewOrThrow(previewId);
        const result = await writeReport(this.db, preview, { path, overwrite });
        ctx.audit({ uai: preview.uai, targetType: 'file', targetId: result.path, after: { previewId, rows: result.rows, overwrite: overwrite === true } });
        return result;
      },
      'imports.history': ({ uai, limit }) => history(this.db, uai, limit),
      'imports.csvColumns': async ({ uai, file }) => {
        const checked = await checkFile(file);
        const table = readCsvTable(checked.name, await readFile(checked.path));
        const saved = getMapping(this.db, uai);
        let usable = false;
        if (saved) {
          try {
            mappedColumns(checked.name, table.headers, saved);
            usable = true;
          } catch {
            usable = false;
          }
        }
        return {
          name: checked.name,
          headers: table.headers,
          sample: table.rows.slice(0, 3).map((r) => r.cells),
          mapping: usable && saved ? saved : suggestMapping(table.headers),
          saved: usable,
        };
      },
      'imports.saveMapping': ({ uai, mapping }, ctx) => {
        this.db.transaction(() => {
          const before = saveMapping(this.db, uai, mapping, this.by(ctx), this.now().toISOString());
          ctx.audit({ uai, targetType: 'importMapping', targetId: uai, before, after: mapping });
        })();
        return { saved: true as const };
      },
    };
  }

  private async preview(input: { uai: string; files: string[]; jobId?: string }, ctx: CallContext): Promise<ImportPreview> {
    const { uai, files } = input;
    purgePreviews(this.db, this.now());
    const mapping = getMapping(this.db, uai);
    const label = s.job.preview(files.map((f) => basename(f)).join(', '));
    return this.options.jobs.run({ id: input.jobId, kind: 'import', uai, label, total: null }, async (job) => {
      const base = await readSchoolBase(files, {
        uai,
        mapping,
        signal: job.signal,
        progress: (done, total) => job.progress(Math.round(done / 1024), Math.round(total / 1024), s.job.reading),
      });
      const print = await fingerprint(files);
      if (job.cancelled) throw cancelledError();
      await job.progress(0, base.pupils.length + base.guardians.length, s.job.comparing);
      const snapshot = loadSnapshot(this.db, uai, this.today());
      const plan = planImport(base, snapshot);
      const id = randomUUID();
      const createdAt = this.now().toISOString();
      const problems = [...base.problems, ...plan.problems];
      this.db.transaction(() => {
        savePreview(this.db, { id, uai, base, fingerprint: print, counts: plan.counts, problems, createdAt, createdBy: this.by(ctx) }, plan.persons);
        // Ids and counts only: what the files hold stays in the preview, not in the trail.
        ctx.audit({ uai, targetType: 'import', targetId: id, after: { files: base.files.map((f) => f.name), source: base.source, counts: plan.counts, problems: problems.length } });
      })();
      await job.progress(base.pupils.length + base.guardians.length);
      this.log(`${uai}: preview ${id} of ${base.files.length} file(s): ${plan.counts.pupils} pupils, ${plan.counts.guardians} guardians, ${problems.length} problem(s)`);
      return {
        previewId: id,
        uai,
        source: base.source,
        files: base.files,
        counts: plan.counts,
        problems,
        createdAt,
        sameFilesAppliedAt: sameFilesAppliedAt(this.db, uai, print),
      };
    });
  }

  private async apply(input: { previewId: string; jobId?: string }, ctx: CallContext) {
    const preview = this.previewOrThrow(input.previewId, true);
    if (preview.state === 'applied') throw new ApiError('CONFLICT', s.preview.applied, { previewId: preview.id, reason: 'applied' });
    if (preview.state === 'discarded' || !preview.base) throw new ApiError('CONFLICT', s.preview.expired, { previewId: preview.id, reason: 'expired' });
    if (appliedSince(this.db, preview.uai, preview.createdAt)) {
      throw new ApiError('CONFLICT', s.preview.superseded, { previewId: preview.id, reason: 'superseded' });
    }
    const base = preview.base;
    const persons = base.pupils.length + base.guardians.length;
    const label = s.job.apply(preview.files.map((f) => f.name).join(', '));
    const result = await this.options.jobs.run({ id: input.jobId, kind: 'import', uai: preview.uai, label, total: persons }, async (job) => {
      if (job.cancelled) throw cancelledError();
      const now = this.now().toISOString();
      // One transaction, all or nothing: the plan is worked out again against the data of this moment.
      return this.db.transaction(() => {
        const plan = planImport(base, loadSnapshot(this.db, preview.uai, this.today()));
        const written = writePlan(this.db, preview, plan, this.by(ctx), now, (done, total) => job.progressNow(done, total));
        const conflicts = markConflicts(this.db, preview.uai);
        ctx.audit({
          uai: preview.uai,
          targetType: 'import',
          targetId: preview.id,
          after: { files: preview.files.map((f) => f.name), counts: plan.counts, reviewItems: written.reviewItems, conflicts },
        });
        return { counts: plan.counts, reviewItems: written.reviewItems };
      })();
    });
    this.options.events.emit('review.changed', { uai: preview.uai, counts: this.reviews.counts(preview.uai), newPending: result.reviewItems });
    this.log(`${preview.uai}: import ${preview.id} applied: ${result.counts.changed + result.counts.new + result.counts.left} record(s), ${result.reviewItems} review item(s)`);
    return { applied: true as const, reviewItems: result.reviewItems, counts: result.counts };
  }

  private previewOrThrow(id: string, withBase = false) {
    const preview = getPreview(this.db, id, withBase);
    if (!preview) throw new ApiError('NOT_FOUND', s.preview.notFound(id), { previewId: id });
    return preview;
  }

  private today(): string {
    return this.now().toISOString().slice(0, 10);
  }

  private by(ctx: CallContext): string | null {
    return ctx.operator?.login ?? null;
  }

  /** The dispatcher's lookup of a preview's establishment (imports.apply, changes and report are checked on it). */
  readonly resolve = (ids: readonly (string | number)[]): ReadonlyMap<string | number, string> => {
    const get = this.db.prepare('SELECT uai FROM import_previews WHERE id = ?').pluck();
    return new Map(
      ids.flatMap((id) => {
        const uai = get.get(String(id)) as string | undefined;
        return uai === undefined ? [] : [[id, uai] as const];
      }),
    );
  };
}
