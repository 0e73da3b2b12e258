/**
 * The imports capability: preview (read the files as a job, check them, plan against the school records and the
 * directory, keep the plan's changes), apply (one transaction: school records, review items, audit entry), the
 * report, the history, and the generic CSV's column mapping. Rights are the dispatcher's (docs/imports.md).
 */
import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
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
  applyWriter,
  changeWriter,
  finishPreview,
  getMapping,
  getPreview,
  history,
  listChanges,
  loadSnapshot,
  purgePreviews,
  sameFilesAppliedAt,
  saveMapping,
  savePreview,
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
      const print = base.fingerprint;
      if (job.cancelled) throw cancelledError();
      await job.progress(0, base.pupils.length + base.guardians.length, s.job.comparing);
      const id = randomUUID();
      const createdAt = this.now().toISOString();
      const used = base.source === 'csv' ? mapping : null;
      // The preview and the changes it lists, as the plan works them out (none kept in memory).
      const { counts, problems } = this.db.transaction(() => {
        savePreview(this.db, { id, uai, base, paths: files, mapping: used, fingerprint: print, createdAt, createdBy: this.by(ctx) });
        const plan = planImport(base, loadSnapshot(this.db, uai, this.today()), changeWriter(this.db, id), { writes: false });
        const all = [...base.problems, ...plan.problems];
        finishPreview(this.db, id, plan.counts, all);
        // Ids and counts only: what the files hold stays in the preview, not in the trail.
        ctx.audit({ uai, targetType: 'import', targetId: id, after: { files: base.files.map((f) => f.name), source: base.source, counts: plan.counts, problems: all.length } });
        return { counts: plan.counts, problems: all };
      })();
      await job.progress(base.pupils.length + base.guardians.length);
      this.log(`${uai}: preview ${id} of ${base.files.length} file(s): ${counts.pupils} pupils, ${counts.guardians} guardians, ${problems.length} problem(s)`);
      return {
        previewId: id,
        uai,
        source: base.source,
        files: base.files,
        counts,
        problems,
        createdAt,
        sameFilesAppliedAt: sameFilesAppliedAt(this.db, uai, print),
      };
    });
  }

  private async apply(input: { previewId: string; jobId?: string }, ctx: CallContext) {
    const preview = this.previewOrThrow(input.previewId);
    if (preview.state === 'applied') throw new ApiError('CONFLICT', s.preview.applied, { previewId: preview.id, reason: 'applied' });
    if (preview.state === 'discarded') throw new ApiError('CONFLICT', s.preview.expired, { previewId: preview.id, reason: 'expired' });
    if (appliedSince(this.db, preview.uai, preview.createdAt)) {
      throw new ApiError('CONFLICT', s.preview.superseded, { previewId: preview.id, reason: 'superseded' });
    }
    const label = s.job.apply(preview.files.map((f) => f.name).join(', '));
    const result = await this.options.jobs.run({ id: input.jobId, kind: 'import', uai: preview.uai, label, total: null }, async (job) => {
      // The files are read again, and must be those previewed: nothing of them was kept but their fingerprint.
      const base = await readSchoolBase(preview.paths, {
        uai: preview.uai,
        mapping: preview.mapping,
        signal: job.signal,
        progress: (done, total) => job.progress(Math.round(done / 1024), Math.round(total / 1024), s.job.reading),
      });
      if (base.fingerprint !== preview.fingerprint) {
        throw new ApiError('CONFLICT', s.preview.filesChanged, { previewId: preview.id, reason: 'files-changed' });
      }
      if (job.cancelled) throw cancelledError();
      await job.progress(0, base.pupils.length + base.guardians.length, label);
      const now = this.now().toISOString();
      // One transaction, all or nothing: the plan is worked out again against the data of this moment.
      const total = base.pupils.length + base.guardians.length;
      return this.db.transaction(() => {
        const writer = applyWriter(this.db, preview, now, (done) => job.progressNow(done, total));
        const plan = planImport(base, loadSnapshot(this.db, preview.uai, this.today()), writer.sink);
        const written = writer.finish(plan.counts, this.by(ctx));
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
    const records = result.counts.new + result.counts.changed + result.counts.completed + result.counts.left;
    this.log(`${preview.uai}: import ${preview.id} applied: ${records} record(s), ${result.reviewItems} review item(s)`);
    return { applied: true as const, reviewItems: result.reviewItems, counts: result.counts };
  }

  private previewOrThrow(id: string) {
    const preview = getPreview(this.db, id);
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
