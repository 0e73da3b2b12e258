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
 * This side fetches pages and reads the database; the write worker (electron/core/writer/) has each page's body
 * parsed and validated by its page reader (`sync-pages.ts`; a malformed one is fetched again, as any malformed
 * answer) and writes it (`sync-writes.ts`), each page in one transaction. While the worker writes a page, the next one is fetched and read behind it, so the worker never
 * waits for this thread, whose event loop stays free (the swap of a large resync included) and holds no page's
 * records. A cancelled run stops after the page being written: the one queued behind it is dropped unwritten.
 */
import type { Database } from 'better-sqlite3';
import type { EventBus } from '../events';
import type { Job, JobRegistry } from '../jobs';
import type { DirectoryClient, DirectoryTotals } from './client';
import { DirectoryError } from './errors';
import { Mirror, RECORD_TYPE_LIST, TOTALS_KEY, type MirrorCounts } from './mirror';
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

/**
 * 2,000 records a page: a quarter of the requests, commits and messages of 500 for a full sync. Parsing and validating
 * a page happen in the page reader, so its size no longer weighs on the main thread's event loop; a main-thread write
 * waits at most one page's transaction (about 15 ms). See docs/sync-performance.md.
 */
export const DEFAULT_PAGE_LIMIT = 2000;

/** Thrown to abandon a run on close(); the saved position makes the next run resume. */
class Interrupted extends Error {}

interface RunContext {
  uai: string;
  runId: number;
  /** Aborted by close() or by cancelling the run's job. */
  signal: AbortSignal;
  /** Set (to 1) when `signal` aborts; shared with the worker, which then drops the pages still queued. */
  stop: Int32Array;
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
    const signal = job ? AbortSignal.any([this.abort.signal, job.signal]) : this.abort.signal;
    const stop = new Int32Array(new SharedArrayBuffer(4));
    signal.addEventListener('abort', () => Atomics.store(stop, 0, 1), { once: true });
    const ctx: RunContext = {
      uai,
      runId,
      signal,
      stop,
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
    // Fetched and read (in the worker) ahead of its turn; a body that does not read is fetched again. `peek` settles
    // with the next page's token as read from the tail of the body, before the page reader has parsed it.
    const request = (token: string | null) => {
      let peeked: (token: string | null | undefined) => void = () => undefined;
      const peek = new Promise<string | null | undefined>((resolve) => (peeked = resolve));
      // Dropped (a request on a wrong guess): no more retries, and a body that arrives anyway is not read.
      const dropped = new AbortController();
      const page = prefetch(
        this.fetch({ ...ctx, signal: AbortSignal.any([ctx.signal, dropped.signal]) }, async () => {
          const body = await this.options.client().snapshotPageBody(uai, token, this.pageLimit);
          if (dropped.signal.aborted) throw new Interrupted();
          peeked(peekNextPage(body.bytes));
          const page = await this.writer.call('sync.readSnapshotPage', { uai, bytes: body.bytes }, [body.bytes]);
          if ('malformed' in page) throw body.malformed(page.malformed);
          return page;
        }),
      );
      void page.catch(() => peeked(undefined));
      return { token, page, peek, drop: () => dropped.abort() };
    };
    type Requested = ReturnType<typeof request>;
    // The page after `next`, requested on the token its tail gave (one request ahead at most). It is used only if
    // the parsed page names the same token; otherwise it is dropped and the parsed token requested. Without it the
    // next request would wait for the page reader, and the worker for the directory: the chain request → body →
    // parse → next request is the snapshot's critical path (docs/sync-performance.md).
    let ahead: Requested | null = null;
    const follow = (requested: Requested): Requested => {
      const before: Requested | null = ahead;
      if (before !== null && before !== requested) before.drop();
      ahead = null;
      void requested.peek.then((token) => {
        if (next === requested && ahead === null && typeof token === 'string' && !ctx.signal.aborted) ahead = request(token);
      });
      return requested;
    };
    const send = (page: Awaited<Requested['page']>) => ({
      write: this.writer.call('sync.snapshotPage', { uai, runId: ctx.runId, page: page.page, stop: ctx.stop }),
      records: page.records,
    });
    const writes = new PageWrites((records) => this.pageDone(ctx, records));
    let next: Requested = follow(request(pageToken));
    try {
      for (;;) {
        let sent: ReturnType<typeof send> & { nextPage: string | null };
        try {
          sent = await next.page.then((page) => {
            if (ctx.signal.aborted) throw new Interrupted();
            if (page.nextPage !== null) {
              const guessed: Requested | null = ahead;
              next = follow(guessed !== null && guessed.token === page.nextPage ? guessed : request(page.nextPage));
            }
            return { ...send(page), nextPage: page.nextPage };
          });
        } catch (error) {
          // The snapshot's own position expired while we paged through it: start over, into staging, so that records
          // deleted meanwhile are not left behind. So too for a page token the directory no longer understands.
          const stale = error instanceof DirectoryError && (error.code === 'CURSOR_EXPIRED' || error.status === 400);
          if (stale && pageToken !== null && restarts++ < 3) {
            this.log(`snapshot of ${uai} expired mid-way: starting over into staging`);
            await writes.drain();
            await this.writer.call('sync.restartSnapshot', { uai, target: 'staging', startedAt: this.now().toISOString() });
            pageToken = null;
            next = follow(request(null));
            continue;
          }
          throw error;
        }
        await writes.push(sent.write, sent.records);
        if (sent.nextPage === null) return await writes.drain();
        pageToken = sent.nextPage;
      }
    } finally {
      (ahead as Requested | null)?.drop();
      await writes.settle();
    }
  }

  /** Reads the change feed to its end marker, one transaction per page. */
  private async readChanges(ctx: RunContext): Promise<void> {
    const { uai } = ctx;
    this.setPhase(ctx, 'changes');
    const request = (cursor: string) =>
      prefetch(
        this.fetch(ctx, async () => {
          const body = await this.options.client().changesBody(uai, cursor, this.pageLimit);
          const page = await this.writer.call('sync.readChangesPage', { uai, bytes: body.bytes }, [body.bytes]);
          if ('malformed' in page) throw body.malformed(page.malformed);
          return page;
        }),
      );
    const send = (page: Awaited<ReturnType<typeof request>>) => ({
      write: this.writer.call('sync.changesPage', { uai, runId: ctx.runId, page: page.page, stop: ctx.stop }),
      records: page.records,
    });
    const start = this.state.get(uai).cursor;
    if (start === null) throw new Error(`no cursor for ${uai} after its snapshot`);
    const writes = new PageWrites((records) => this.pageDone(ctx, records));
    let next = request(start);
    try {
      for (;;) {
        const { hasMore, sent } = await next.then((page) => {
          if (ctx.signal.aborted) throw new Interrupted();
          if (page.hasMore) next = request(page.cursor);
          return { hasMore: page.hasMore, sent: send(page) };
        });
        await writes.push(sent.write, sent.records);
        if (!hasMore) return await writes.drain();
      }
    } finally {
      await writes.settle();
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
 * The pages sent to the worker and not yet confirmed: at most two, the one being written and the next one queued
 * behind it (so the worker never waits for this thread to send it). `onWritten` reports each page once committed.
 */
class PageWrites {
  private pending: { write: Promise<boolean>; records: number } | null = null;

  constructor(private readonly onWritten: (records: number) => void) {}

  /** Queues a page behind the one in progress, then waits for that one. */
  async push(write: Promise<boolean>, records: number): Promise<void> {
    prefetch(write);
    const previous = this.pending;
    this.pending = { write, records };
    if (previous) await this.confirm(previous);
  }

  /** Waits for the page still in progress. */
  async drain(): Promise<void> {
    const last = this.pending;
    this.pending = null;
    if (last) await this.confirm(last);
  }

  /**
   * When a loop stops early (an error, a cancel): the page still in progress is committed or not, and counted if it
   * was; its own failure, if any, gives way to the error that stopped the loop.
   */
  async settle(): Promise<void> {
    await this.drain().catch(() => undefined);
  }

  private async confirm(page: { write: Promise<boolean>; records: number }): Promise<void> {
    // false: dropped unwritten by the worker because the run was cancelled.
    if (await page.write) this.onWritten(page.records);
  }
}

/** Where a snapshot page's next page token is looked for: the end of the body (`…,"nextPage":"…","cursor":"…"}`). */
const PEEK_BYTES = 1024;
const NEXT_PAGE_KEY = '"nextPage":';

/**
 * The next page token of a snapshot page read from the last bytes of its body, without parsing it: a plain string
 * (no escape), null on the last page, undefined when not found there (then nothing is requested ahead). Only a guess:
 * the page reader's parse decides, and a request on a wrong guess is dropped.
 */
export function peekNextPage(bytes: ArrayBuffer): string | null | undefined {
  const tail = Buffer.from(bytes, Math.max(0, bytes.byteLength - PEEK_BYTES)).toString('latin1');
  const at = tail.lastIndexOf(NEXT_PAGE_KEY);
  if (at < 0) return undefined;
  const rest = tail.slice(at + NEXT_PAGE_KEY.length).trimStart();
  if (rest.startsWith('null')) return null;
  const token = /^"([\x20-\x21\x23-\x5b\x5d-\x7e]{1,512})"/.exec(rest);
  return token ? token[1] : undefined;
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
