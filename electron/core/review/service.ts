/**
 * The review capability: ingestion after each sync run, the queue, decisions and their undo, bulk acceptance of
 * low-risk items, the hand-off to the management software, and the `review.changed` event (counts only).
 */
import type { Database } from 'better-sqlite3';
import { ApiError } from '../../../shared/api/errors';
import type { CallContext, Handlers } from '../dispatcher';
import type { EventBus } from '../events';
import type { JobRegistry } from '../jobs';
import { applyDecision, checkDecidable, undoDecision } from './decisions';
import { handoffExport, handoffList, markKeyed } from './handoff';
import { ingest, type IngestResult } from './ingest';
import { ReviewStore } from './store';
import { reviewStrings as s } from './strings';

export interface ReviewServiceOptions {
  db: Database;
  events: EventBus;
  /** Sends queued outbox items now when signed in and online (DirectoryService.kick). */
  kick: () => void;
  jobs: JobRegistry;
  now?: () => Date;
  log?: (message: string) => void;
}

const BULK_CHUNK = 200;

export type ReviewHandlers = Pick<
  Handlers,
  | 'review.list'
  | 'review.counts'
  | 'review.decide'
  | 'review.undo'
  | 'review.previewBulkAccept'
  | 'review.bulkAccept'
  | 'review.handoffList'
  | 'review.handoffExport'
  | 'review.markKeyed'
>;

export class ReviewService {
  readonly store: ReviewStore;
  private readonly db: Database;
  private readonly now: () => Date;
  private readonly log: (message: string) => void;
  /** One ingestion per establishment at a time; a request during one runs once more after it. */
  private readonly ingesting = new Map<string, Promise<IngestResult>>();

  constructor(private readonly options: ReviewServiceOptions) {
    this.db = options.db;
    this.store = new ReviewStore(options.db);
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? ((message) => console.warn(`[review] ${message}`));
  }

  /** Idempotent; safe to call after every sync run, even concurrently. */
  ingest(uai: string): Promise<IngestResult> {
    const previous = this.ingesting.get(uai) ?? Promise.resolve(null);
    const next = previous
      .catch(() => null)
      .then(() => ingest(this.db, uai, this.now))
      .then((result) => {
        if (this.db.open) this.changed(uai, result.newItems);
        return result;
      })
      .finally(() => {
        if (this.ingesting.get(uai) === next) this.ingesting.delete(uai);
      });
    this.ingesting.set(uai, next);
    return next;
  }

  /** For the directory's after-run hook: never throws, logs ids and counts only. */
  ingestAfterRun(uai: string): void {
    this.ingest(uai).then(
      (r) => {
        if (r.newItems > 0 || r.conflicts > 0) this.log(`${uai}: ${r.newItems} new item(s), ${r.superseded} superseded, ${r.conflicts} conflict(s)`);
      },
      (error: unknown) => {
        if (this.db.open) this.log(`ingestion of ${uai} failed: ${error instanceof Error ? error.stack : String(error)}`);
      },
    );
  }

  handlers(): ReviewHandlers {
    return {
      'review.list': (input) => this.store.list(input, this.now()),
      'review.counts': ({ uai }) => this.store.counts(uai),
      'review.decide': ({ id, decision, reason }, ctx) => {
        const row = this.store.row(id);
        if (!row) throw new ApiError('NOT_FOUND', s.notFound(id));
        const outcome = this.db.transaction(() => {
          const result = applyDecision(this.db, id, decision, reason ?? null, this.by(ctx), this.now().toISOString());
          ctx.audit(result.audit);
          return result;
        })();
        this.changed(row.uai, 0);
        if (outcome.conflict) throw new ApiError('CONFLICT', s.conflict, { id });
        if (outcome.queued) this.options.kick();
        return this.store.item(id)!;
      },
      'review.undo': ({ id }, ctx) => {
        const row = this.store.row(id);
        if (!row) throw new ApiError('NOT_FOUND', s.notFound(id));
        const result = this.db.transaction(() => {
          const undone = undoDecision(this.db, id, this.now().toISOString());
          ctx.audit(undone.audit);
          return undone;
        })();
        if (result.droppedOutbox !== null) {
          this.options.events.emit('outbox.changed', { id: result.droppedOutbox, uai: row.uai, state: 'discarded' });
        }
        this.changed(row.uai, 0);
        return this.store.item(id)!;
      },
      'review.previewBulkAccept': ({ uai }) => this.store.lowRisk(uai),
      'review.bulkAccept': (input, ctx) => this.bulkAccept(input, ctx),
      'review.handoffList': ({ uai, offset, limit }) => handoffList(this.db, uai, offset, limit),
      'review.handoffExport': async ({ uai, ...file }, ctx) => {
        const result = await handoffExport(this.db, uai, file);
        ctx.audit({ uai, targetType: 'file', targetId: result.path, after: { rows: result.rows, format: file.format, overwrite: file.overwrite === true } });
        return result;
      },
      'review.markKeyed': ({ ids }, ctx) => {
        const result = markKeyed(this.db, ids, this.by(ctx), this.now().toISOString(), (uai, marked) =>
          ctx.audit({ uai, targetType: 'identityChange', after: { keyed: marked }, reason: 'Saisi dans le logiciel de gestion' }),
        );
        for (const uai of result.uais) this.changed(uai, 0);
        return { marked: result.marked };
      },
    };
  }

  /** Accepts pending low-risk items chunk by chunk (a transaction each, the event loop breathing between). */
  /**
   * Accepts pending low-risk items chunk by chunk (a transaction each, audit entries inside), as a job: progress after
   * each chunk, and a cancel stops before the next chunk (the rest is reported skipped).
   */
  private async bulkAccept(
    input: { ids: number[]; jobId?: string },
    ctx: CallContext,
  ): Promise<{ accepted: number; skipped: { id: number; message: string }[]; cancelled: boolean }> {
    const skipped: { id: number; message: string }[] = [];
    const uais = new Set<string>();
    let accepted = 0;
    let queued = false;
    let cancelled = false;
    const unique = [...new Set(input.ids)];
    const spec = { id: input.jobId, kind: 'reviewBulkAccept' as const, uai: ctx.uais[0] ?? '', label: s.bulkJob(unique.length), total: unique.length };
    await this.options.jobs.run(spec, async (job) => {
      for (let start = 0; start < unique.length; start += BULK_CHUNK) {
        const chunk = unique.slice(start, start + BULK_CHUNK);
        if (job.cancelled) {
          cancelled = true;
          for (const id of chunk) skipped.push({ id, message: s.bulkCancelled });
          continue;
        }
        this.db.transaction(() => {
          for (const id of chunk) {
            const row = this.store.row(id);
            if (!row) {
              skipped.push({ id, message: s.notFound(id) });
              continue;
            }
            try {
              checkDecidable(row);
            } catch (error) {
              skipped.push({ id, message: error instanceof ApiError ? error.message : String(error) });
              continue;
            }
            if (row.state !== 'pending') {
              skipped.push({ id, message: s.notPendingForBulk });
              continue;
            }
            if (row.low_risk !== 1) {
              skipped.push({ id, message: s.notLowRisk });
              continue;
            }
            const outcome = applyDecision(this.db, id, 'accept', null, this.by(ctx), this.now().toISOString());
            ctx.audit(outcome.audit);
            uais.add(row.uai);
            if (outcome.conflict) {
              skipped.push({ id, message: s.conflict });
              continue;
            }
            accepted += 1;
            queued ||= outcome.queued;
          }
        })();
        await job.progress(Math.min(unique.length, start + chunk.length), unique.length);
      }
    });
    for (const uai of uais) this.changed(uai, 0);
    if (queued) this.options.kick();
    return { accepted, skipped, cancelled };
  }

  private changed(uai: string, newPending: number): void {
    this.options.events.emit('review.changed', { uai, counts: this.store.counts(uai), newPending });
  }

  private by(ctx: CallContext): string {
    return ctx.operator?.login ?? 'local';
  }
}
