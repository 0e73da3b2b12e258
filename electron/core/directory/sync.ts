/**
 * The sync engine: keeps the mirror of one establishment equal to the directory.
 *
 * - No cursor: a snapshot, page by page, each page and the next page token in one transaction (resumable after a
 *   crash). The very first snapshot of an establishment writes straight into the empty live tables; any later one
 *   (expired cursor, count mismatch) goes to staging and replaces the live rows in one transaction at the end.
 * - Then the change feed: each page and its cursor in one transaction, reading on while `hasMore`, even after empty
 *   pages. 410 CURSOR_EXPIRED → a resync as above. Only `dir_*`, `dir_staging` and `sync_*` are written, so the
 *   outbox and every local decision survive a resync.
 * - After each run the live counts are compared with the directory's totals; a mismatch is reported and repaired by
 *   a resync.
 * The writes run in the write worker (electron/core/writer/, `sync-writes.ts`), each page in one transaction there;
 * this side fetches, validates and reads. The next page is fetched while the worker writes the current one, and the
 * main thread's event loop is free all the while (the swap of a large resync included).
 */
import type { Database } from 'better-sqlite3';
import type { Change, DirectoryRecord } from '../../../shared/directory/wire';
import type { EventBus } from '../events';
import type { Job, JobRegistry } from '../jobs';
import type { DirectoryClient, DirectoryTotals } from './client';
import { DirectoryError } from './errors';
import { Mirror, RECORD_TYPE_LIST, TOTALS_KEY, type MirrorCounts, type MirrorWrite } from './mirror';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import { SyncStateStore, type RunMode, type TotalsCheck } from './sync-state';
import type { RunEnd } from './sync-writes';
import { syncStrings } from './strings';
import type { DatabaseWriter } from '../writer/client';

export type SyncPhase = 'snapshot' | 'changes' | 'resync' | 'check';
export type EstablishmentSyncState = 'idle' | 'running' | 'error' | 'offline';

export interface SyncSummary {
  uai: string;
  runId: number;
  outcome: 'success' | 'error' | 'interrupted';
  mode: RunMode;
  recordsApplied: number;
  pages: number;
  startedAt: string;
  endedAt: string;
  error: { code: string; message: string } | null;
  totals: TotalsCheck | null;
  /** True when a count mismatch was found and a resync was run to repair it. */
  repaired: boolean;
}

export interface SyncEngineOptions {
  /** The main thread's connection: reads only (and the start-up bookkeeping). */
  db: Database;
  /** The write worker: every write of a run. */
  writer: DatabaseWriter;
  client: () => DirectoryClient;
  events?: EventBus;
  retry?: RetryPolicy;
  /** Records per request; one page is one transaction in the write worker. */
  pageLimit?: number;
  log?: (message: string) => void;
  now?: () => Date;
  /** A label per establishment for progress messages (its name). */
  label?: (uai: string) => string;
  /** Each run is a job there (progress, cancel); without it, runs stop only on close(). */
  jobs?: JobRegistry;
}

export const DEFAULT_PAGE_LIMIT = 500;

/** Thrown to abandon a run on close(); the saved position makes the next run resume. */
class Interrupted extends Error {}

interface RunContext {
  uai: string;
  runId: number;
  /** Aborted by close() or by cancelling the run's job. */
  signal: AbortSignal;
  job: Job | null;
  applied: number;
  pages: number;
  startedMs: number;
  total: number | null;
  mode: RunMode;
}

export interface LiveSyncState {
  state: EstablishmentSyncState;
  phase: SyncPhase | null;
  applied: number;
  rate: number;
}

function toWrite(change: Change): MirrorWrite {
  return change.op === 'delete'
    ? { type: change.type, id: change.id, version: change.version, seq: change.seq, data: null }
    : { type: change.type, id: change.id, version: change.version, seq: change.seq, data: JSON.stringify(change.data) };
}

function recordWrite(record: DirectoryRecord): MirrorWrite {
  return { type: record.type, id: record.id, version: record.version, seq: null, data: JSON.stringify(record.data) };
}

export class SyncEngine {
  readonly mirror: Mirror;
  readonly state: SyncStateStore;
  private readonly writer: DatabaseWriter;
  private readonly retry: RetryPolicy;
  private readonly pageLimit: number;
  private readonly log: (message: string) => void;
  private readonly now: () => Date;
  private readonly running = new Map<string, Promise<SyncSummary>>();
  private readonly live = new Map<string, LiveSyncState>();
  private readonly abort = new AbortController();

  constructor(private readonly options: SyncEngineOptions) {
    this.writer = options.writer;
    this.mirror = new Mirror(options.db);
    this.state = new SyncStateStore(options.db);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.pageLimit = options.pageLimit ?? DEFAULT_PAGE_LIMIT;
    this.log = options.log ?? ((message) => console.warn(`[sync] ${message}`));
    this.now = options.now ?? (() => new Date());
    this.state.markInterrupted(this.now().toISOString());
  }

  /** Syncs one establishment; a call while it is already syncing joins that run. */
  run(uai: string): Promise<SyncSummary> {
    const existing = this.running.get(uai);
    if (existing) return existing;
    const promise = this.runOnce(uai).finally(() => this.running.delete(uai));
    this.running.set(uai, promise);
    return promise;
  }

  isRunning(uai?: string): boolean {
    return uai === undefined ? this.running.size > 0 : this.running.has(uai);
  }

  liveState(uai: string): LiveSyncState {
    return this.live.get(uai) ?? { state: 'idle', phase: null, applied: 0, rate: 0 };
  }

  /** Marks establishments offline (the scheduler's view), so the UI shows why nothing moves. */
  setOffline(uais: string[], offline: boolean): void {
    for (const uai of uais) {
      const current = this.liveState(uai);
      if (offline && current.state !== 'running') this.setLive(uai, { ...current, state: 'offline', phase: null });
      if (!offline && current.state === 'offline') this.setLive(uai, { ...current, state: 'idle' });
    }
  }

  /** Stops every run at its next step; what was committed stays and the next run resumes from it. */
  async close(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled([...this.running.values()]);
  }

  private async runOnce(uai: string): Promise<SyncSummary> {
    const startedAt = this.now().toISOString();
    const initial = this.state.get(uai);
    const mode: RunMode = initial.cursor === null ? (initial.snapshot_target === 'staging' ? 'resync' : 'snapshot') : 'delta';
    const runId = await this.writer.call('sync.startRun', { uai, mode, startedAt });
    const job = this.options.jobs?.start({ id: `sync-${uai}-${runId}`, kind: 'sync', uai, label: this.progressLabel(uai, null) }) ?? null;
    const ctx: RunContext = {
      uai,
      runId,
      signal: job ? AbortSignal.any([this.abort.signal, job.signal]) : this.abort.signal,
      job,
      applied: 0,
      pages: 0,
      startedMs: performance.now(),
      total: null,
      mode,
    };
    this.setLive(uai, { state: 'running', phase: mode === 'delta' ? 'changes' : 'snapshot', applied: 0, rate: 0 });
    this.progress(ctx);

    let totals: TotalsCheck | null = null;
    let repaired = false;
    let notes: string | null = null;
    let ended: 'done' | 'cancelled' | 'failed' = 'failed';
    try {
      await this.bringUpToDate(ctx);
      this.setPhase(ctx, 'check');
      totals = await this.checkTotals(ctx);
      if (totals?.match === false) {
        // A change may have landed between our last page and the totals: catch up once before calling it a mismatch.
        await this.bringUpToDate(ctx);
        totals = await this.checkTotals(ctx);
      }
      if (totals?.match === false) {
        notes = syncStrings.mismatch(uai, describeMismatch(totals));
        this.log(`count mismatch for ${uai}: ${describeMismatch(totals)}; repairing with a full resync`);
        this.options.events?.emit('system.notice', { level: 'warning', message: notes });
        await this.startResync(ctx);
        await this.bringUpToDate(ctx);
        totals = await this.checkTotals(ctx);
        repaired = true;
      }
      const endedAt = this.now().toISOString();
      await this.endRun(ctx, 'success', endedAt, null, notes, {
        last_success_at: endedAt,
        last_error_code: null,
        last_error_message: null,
        totals: totals ? JSON.stringify(totals) : null,
      });
      this.setLive(uai, { state: 'idle', phase: null, applied: ctx.applied, rate: this.rate(ctx) });
      ended = 'done';
      return this.summary(ctx, 'success', startedAt, endedAt, null, totals, repaired);
    } catch (error) {
      const endedAt = this.now().toISOString();
      if (error instanceof Interrupted || ctx.signal.aborted) {
        await this.endRun(ctx, 'interrupted', endedAt, null, null);
        this.setLive(uai, { state: 'idle', phase: null, applied: ctx.applied, rate: 0 });
        ended = 'cancelled';
        return this.summary(ctx, 'interrupted', startedAt, endedAt, null, totals, repaired);
      }
      const failure = describeError(error);
      if (!(error instanceof DirectoryError)) this.log(`sync of ${uai} failed: ${error instanceof Error ? error.stack : String(error)}`);
      else this.log(`sync of ${uai} failed: ${error.logLine()}`);
      await this.endRun(ctx, 'error', endedAt, failure, notes, { last_error_code: failure.code, last_error_message: failure.message });
      const offline = error instanceof DirectoryError && error.unreachable;
      this.setLive(uai, { state: offline ? 'offline' : 'error', phase: null, applied: ctx.applied, rate: 0 });
      return this.summary(ctx, 'error', startedAt, endedAt, failure, totals, repaired);
    } finally {
      ctx.job?.end(ended);
    }
  }

  /**
   * Records how the run ended (and the establishment's last success or error). Best effort: skipped once the core is
   * closing, logged if it fails (the run then stays "running" in the history, and is marked interrupted at start-up).
   */
  private async endRun(
    ctx: RunContext,
    outcome: RunEnd['outcome'],
    endedAt: string,
    error: RunEnd['error'],
    notes: string | null,
    state?: RunEnd['state'],
  ): Promise<void> {
    if (this.writer.closed) return;
    try {
      await this.writer.call('sync.endRun', { uai: ctx.uai, runId: ctx.runId, outcome, endedAt, error, notes, state });
    } catch (failure) {
      this.log(`the end of run ${ctx.runId} (${ctx.uai}) was not recorded: ${failure instanceof Error ? failure.stack : String(failure)}`);
    }
  }

  /** Snapshot if needed, then the change feed to its end; an expired cursor turns into a resync. */
  private async bringUpToDate(ctx: RunContext): Promise<void> {
    for (let expiries = 0; ; expiries++) {
      try {
        const state = this.state.get(ctx.uai);
        if (state.cursor === null) await this.snapshot(ctx);
        await this.readChanges(ctx);
        return;
      } catch (error) {
        if (!(error instanceof DirectoryError) || error.code !== 'CURSOR_EXPIRED' || expiries >= 2) throw error;
        this.log(`cursor expired for ${ctx.uai}: full resync into staging`);
        await this.startResync(ctx);
      }
    }
  }

  /** The next bringUpToDate takes a fresh snapshot into staging and swaps it in. */
  private async startResync(ctx: RunContext): Promise<void> {
    await this.writer.call('sync.restartSnapshot', { uai: ctx.uai, target: 'staging', startedAt: this.now().toISOString(), runId: ctx.runId });
    ctx.mode = 'resync';
  }

  private async snapshot(ctx: RunContext): Promise<void> {
    const { uai } = ctx;
    const target = await this.writer.call('sync.beginSnapshot', { uai, startedAt: this.now().toISOString() });
    this.setPhase(ctx, target === 'staging' ? 'resync' : 'snapshot');
    ctx.total = await this.snapshotTotal(ctx);

    let pageToken = this.state.get(uai).snapshot_next_page;
    let restarts = 0;
    const request = (token: string | null) =>
      prefetch(this.fetch(ctx, () => this.options.client().snapshotPage(uai, token, this.pageLimit)));
    let next = request(pageToken);
    for (;;) {
      let page;
      try {
        page = await next;
      } catch (error) {
        // The snapshot's own position expired while we paged through it: start over, into staging, so that records
        // deleted meanwhile are not left behind. So too for a page token the directory no longer understands.
        const stale = error instanceof DirectoryError && (error.code === 'CURSOR_EXPIRED' || error.status === 400);
        if (stale && pageToken !== null && restarts++ < 3) {
          this.log(`snapshot of ${uai} expired mid-way: starting over into staging`);
          await this.writer.call('sync.restartSnapshot', { uai, target: 'staging', startedAt: this.now().toISOString() });
          pageToken = null;
          next = request(null);
          continue;
        }
        throw error;
      }
      // Cancelled while this page was on its way: stop after the page already written.
      if (ctx.signal.aborted) throw new Interrupted();
      // The next page is fetched while the worker writes this one (it is applied only after this one commits).
      if (page.nextPage !== null) next = request(page.nextPage);
      await this.writer.call('sync.snapshotPage', {
        uai,
        runId: ctx.runId,
        records: page.records.map(recordWrite),
        nextPage: page.nextPage,
        cursor: page.cursor,
      });
      this.pageDone(ctx, page.records.length);
      if (page.nextPage === null) return;
      pageToken = page.nextPage;
    }
  }

  /** Reads the change feed to its end marker, one transaction per page. */
  private async readChanges(ctx: RunContext): Promise<void> {
    const { uai } = ctx;
    this.setPhase(ctx, 'changes');
    const request = (cursor: string) =>
      prefetch(this.fetch(ctx, () => this.options.client().changes(uai, cursor, this.pageLimit)));
    const start = this.state.get(uai).cursor;
    if (start === null) throw new Error(`no cursor for ${uai} after its snapshot`);
    let next = request(start);
    for (;;) {
      const page = await next;
      if (ctx.signal.aborted) throw new Interrupted();
      if (page.hasMore) next = request(page.cursor);
      await this.writer.call('sync.changesPage', { uai, runId: ctx.runId, changes: page.changes.map(toWrite), cursor: page.cursor });
      this.pageDone(ctx, page.changes.length);
      if (!page.hasMore) return;
    }
  }

  private async snapshotTotal(ctx: RunContext): Promise<number | null> {
    const totals = await this.readTotals(ctx);
    return totals ? RECORD_TYPE_LIST.reduce((sum, type) => sum + totals[TOTALS_KEY[type]], 0) : null;
  }

  private async readTotals(ctx: RunContext): Promise<DirectoryTotals | null> {
    try {
      return await this.fetch(ctx, () => this.options.client().totals(ctx.uai));
    } catch (error) {
      if (error instanceof Interrupted) throw error;
      this.log(`totals of ${ctx.uai} unavailable: ${error instanceof DirectoryError ? error.logLine() : String(error)}`);
      return null;
    }
  }

  private async checkTotals(ctx: RunContext): Promise<TotalsCheck | null> {
    const directory = await this.readTotals(ctx);
    const local = this.mirror.counts(ctx.uai);
    const checkedAt = this.now().toISOString();
    if (!directory) return { local, directory: null, match: null, checkedAt };
    // Keyed like the local counts (by record type), so the UI and scripts compare like with like.
    const wanted = Object.fromEntries(RECORD_TYPE_LIST.map((type) => [type, directory[TOTALS_KEY[type]]])) as MirrorCounts;
    const match = RECORD_TYPE_LIST.every((type) => local[type] === wanted[type]);
    return { local, directory: wanted, match, checkedAt };
  }

  private async fetch<T>(ctx: RunContext, request: () => Promise<T>): Promise<T> {
    if (ctx.signal.aborted) throw new Interrupted();
    try {
      return await withRetry(request, this.retry, {
        signal: ctx.signal,
        onRetry: (error, attempt, delay) =>
          this.log(`${ctx.uai}: ${error.logLine()}; retry ${attempt} in ${Math.round(delay)} ms`),
      });
    } catch (error) {
      if (ctx.signal.aborted) throw new Interrupted();
      throw error;
    }
  }

  private pageDone(ctx: RunContext, records: number): void {
    ctx.applied += records;
    ctx.pages += 1;
    const live = this.liveState(ctx.uai);
    this.setLive(ctx.uai, { ...live, applied: ctx.applied, rate: this.rate(ctx) });
    this.progress(ctx);
  }

  private rate(ctx: RunContext): number {
    const seconds = (performance.now() - ctx.startedMs) / 1000;
    return seconds > 0 ? Math.round(ctx.applied / seconds) : 0;
  }

  private setPhase(ctx: RunContext, phase: SyncPhase): void {
    this.setLive(ctx.uai, { ...this.liveState(ctx.uai), state: 'running', phase });
  }

  private setLive(uai: string, next: LiveSyncState): void {
    this.live.set(uai, next);
    this.options.events?.emit('sync.state', { uai, ...next });
  }

  private progressLabel(uai: string, phase: SyncPhase | null): string {
    return syncStrings.progressLabel(this.options.label?.(uai) ?? uai, phase);
  }

  private progress(ctx: RunContext): void {
    const total = ctx.total !== null && (ctx.mode !== 'delta' || ctx.total >= ctx.applied) ? Math.max(ctx.total, ctx.applied) : null;
    void ctx.job?.progress(ctx.applied, total, this.progressLabel(ctx.uai, this.liveState(ctx.uai).phase));
  }

  private summary(
    ctx: RunContext,
    outcome: SyncSummary['outcome'],
    startedAt: string,
    endedAt: string,
    error: SyncSummary['error'],
    totals: TotalsCheck | null,
    repaired: boolean,
  ): SyncSummary {
    return {
      uai: ctx.uai,
      runId: ctx.runId,
      outcome,
      mode: ctx.mode,
      recordsApplied: ctx.applied,
      pages: ctx.pages,
      startedAt,
      endedAt,
      error,
      totals,
      repaired,
    };
  }
}

/**
 * A request started ahead of its use: its failure is handled where it is awaited, so mark it handled now (it may
 * settle while the current page is being written, before anyone awaits it).
 */
function prefetch<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function describeMismatch(totals: TotalsCheck): string {
  return RECORD_TYPE_LIST.filter((type) => totals.directory && totals.local[type] !== totals.directory[type])
    .map((type) => `${TOTALS_KEY[type]} ${totals.local[type]}/${totals.directory?.[type]}`)
    .join(', ');
}

export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof DirectoryError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: syncStrings.internalError };
}

export type { MirrorCounts };
