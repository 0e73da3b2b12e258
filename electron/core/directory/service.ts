/**
 * The directory capability as the core sees it: the session (sign-in, tokens in a TokenStore), the client (the
 * embedded demo directory started on first use, or a configured URL), the sync engine, the outbox sender and the
 * scheduler, and the contract's handlers for all of them.
 */
import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import type { Handlers } from '../dispatcher';
import type {
  EstablishmentItem,
  SessionOperator,
  SyncEstablishmentStatus,
  SyncHistoryItem,
  SyncRunResult,
  SyncStatus,
} from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { type Establishment } from '../../../shared/directory/wire';
import type { EventBus } from '../events';
import type { JobRegistry } from '../jobs';
import { DatabaseWriter } from '../writer/client';
import { HttpDirectoryClient, memoryTokenStore, type DirectoryClient, type TokenStore } from './client';
import { DirectoryError } from './errors';
import { discardItem, listOutbox, outboxCounts, OutboxSender, recoverInFlight, retryItem, type FlushResult } from './outbox';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry';
import { SyncScheduler } from './scheduler';
import { authStrings, syncStrings } from './strings';
import { SyncEngine, type SyncSummary } from './sync';
import type { SyncRunRow, TotalsCheck } from './sync-state';

export interface DirectoryServiceOptions {
  db: Database;
  events: EventBus;
  dataDir: string;
  /** `demo` (embedded demo directory, started on first use) or the base URL of a Directory API v1 endpoint. */
  directory: string;
  tokens?: TokenStore;
  retry?: RetryPolicy;
  pageLimit?: number;
  timeoutMs?: number;
  /** Offline probe period. */
  probeMs?: number;
  /** Options of the embedded demo directory (tests shrink it). */
  demo?: { seed?: number; establishments?: number; pupils?: number; faults?: string };
  log?: (message: string) => void;
  /** The operator of an offline session (signed in against this workstation's verifier), when there are no tokens. */
  offlineOperator?: () => SessionOperator | null;
  /** Sync runs register there as jobs (progress, cancel). */
  jobs?: JobRegistry;
  /** The write worker of `db`'s file; by default the service starts its own (and closes it). */
  writer?: DatabaseWriter;
}

const DEFAULT_INTERVAL_MINUTES = 15;
const DEMO_FILE = 'demo-directory.sqlite';

interface RunAllResult extends SyncRunResult {
  unreachable: boolean;
}

export class DirectoryService {
  /** The write worker: the sync's writes, and the account projection's (shared with the accounts service). */
  readonly writer: DatabaseWriter;
  readonly engine: SyncEngine;
  readonly sender: OutboxSender;
  readonly scheduler: SyncScheduler<RunAllResult>;
  private client: DirectoryClient | null = null;
  private starting: Promise<DirectoryClient> | null = null;
  private demo: { close(): Promise<void> } | null = null;
  private readonly tokens: TokenStore;
  private readonly log: (message: string) => void;
  private closed = false;
  private readonly runListeners = new Set<(uai: string, summary: SyncSummary) => void>();
  private readonly ownsWriter: boolean;

  constructor(private readonly options: DirectoryServiceOptions) {
    this.tokens = options.tokens ?? memoryTokenStore();
    this.log = options.log ?? ((message) => console.warn(`[directory] ${message}`));
    const clientNow = () => {
      if (!this.client) throw DirectoryError.signedOut();
      return this.client;
    };
    this.ownsWriter = options.writer === undefined;
    this.writer = options.writer ?? new DatabaseWriter(options.db.name);
    this.engine = new SyncEngine({
      db: options.db,
      writer: this.writer,
      client: clientNow,
      events: options.events,
      retry: options.retry,
      pageLimit: options.pageLimit,
      log: (m) => this.log(`[sync] ${m}`),
      label: (uai) => this.establishmentName(uai) ?? uai,
      jobs: options.jobs,
    });
    recoverInFlight(options.db);
    this.sender = new OutboxSender({
      db: options.db,
      client: clientNow,
      mirror: this.engine.mirror,
      events: options.events,
      retry: options.retry,
      log: (m) => this.log(`[outbox] ${m}`),
    });
    this.scheduler = new SyncScheduler<RunAllResult>({
      run: () => this.runAll(),
      probe: async () => {
        try {
          await (await this.ensureClient()).establishments();
          return true;
        } catch (error) {
          return !(error instanceof DirectoryError && error.unreachable);
        }
      },
      intervalMs: () => this.intervalMinutes() * 60_000,
      probeMs: options.probeMs,
      onOnlineChange: (online) => {
        this.engine.setOffline(this.operatorUais(), !online);
        options.events.emit('system.notice', {
          level: online ? 'info' : 'warning',
          message: online ? 'Connexion à l’annuaire rétablie.' : 'Annuaire injoignable : travail hors ligne.',
        });
      },
      log: (m) => this.log(`[scheduler] ${m}`),
    });
  }

  get operator(): SessionOperator | null {
    const operator = this.tokens.load()?.operator ?? this.options.offlineOperator?.();
    return operator
      ? { login: operator.login, displayName: operator.displayName, role: operator.role, uais: [...operator.uais] }
      : null;
  }

  /** The client, starting the embedded demo directory on first use. */
  async ensureClient(): Promise<DirectoryClient> {
    if (this.client) return this.client;
    this.starting ??= this.startClient().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async startClient(): Promise<DirectoryClient> {
    let baseUrl = this.options.directory;
    if (baseUrl === 'demo') {
      try {
        const { createDemoDirectory } = await import('../../demo-directory/server');
        const demo = await createDemoDirectory({
          dataFile: join(this.options.dataDir, DEMO_FILE),
          seed: this.options.demo?.seed ?? 42,
          establishments: this.options.demo?.establishments,
          pupils: this.options.demo?.pupils,
          faults: this.options.demo?.faults,
        });
        if (this.closed) {
          await demo.close();
          throw new ApiError('UNAVAILABLE', authStrings.directoryUnavailable);
        }
        this.demo = demo;
        baseUrl = demo.url;
      } catch (error) {
        if (error instanceof ApiError) throw error;
        this.log(`embedded demo directory failed to start: ${error instanceof Error ? error.stack : String(error)}`);
        throw new ApiError('UNAVAILABLE', authStrings.directoryUnavailable);
      }
    }
    this.client = new HttpDirectoryClient({
      baseUrl,
      tokens: this.tokens,
      timeoutMs: this.options.timeoutMs,
      retry: this.options.retry,
      log: (m) => this.log(m),
    });
    return this.client;
  }

  async signIn(login: string, password: string): Promise<SessionOperator> {
    const client = await this.ensureClient();
    try {
      // A lost answer or a 503 is retried like any request (a second token pair costs nothing); a refusal is not.
      await withRetry(() => client.signIn(login, password), { ...(this.options.retry ?? DEFAULT_RETRY), attempts: 4 });
    } catch (error) {
      if (error instanceof DirectoryError) {
        if (error.unreachable) this.scheduler.noteReachability(false);
        throw error.toApiError();
      }
      throw error;
    }
    this.scheduler.noteReachability(true);
    try {
      await this.refreshEstablishments();
    } catch (error) {
      this.log(`establishments not refreshed at sign-in: ${error instanceof DirectoryError ? error.logLine() : String(error)}`);
    }
    this.scheduler.start();
    return this.operator!;
  }

  signOut(): void {
    this.scheduler.stop();
    this.client?.signOut();
    this.tokens.save(null);
  }

  async refreshEstablishments(): Promise<void> {
    const client = await this.ensureClient();
    const items = await client.establishments();
    upsertEstablishments(this.options.db, items);
  }

  listEstablishments(): EstablishmentItem[] {
    const uais = this.operator?.uais;
    const rows = this.options.db
      .prepare('SELECT uai, name, kind, is_private, city, academy FROM establishments ORDER BY name, uai')
      .all() as { uai: string; name: string; kind: EstablishmentItem['kind']; is_private: number; city: string | null; academy: string | null }[];
    return rows
      .filter((r) => !uais || uais.includes(r.uai))
      .map((r) => ({ uai: r.uai, name: r.name, kind: r.kind, isPrivate: r.is_private === 1, city: r.city, academy: r.academy }));
  }

  /** Outbox first (so the sync brings back the confirmed records), then each establishment in turn. */
  async run(uai?: string): Promise<SyncRunResult> {
    if (!this.operator) throw new ApiError('UNAUTHORIZED', syncStrings.notSignedIn);
    const result = uai === undefined ? await this.scheduler.runNow() : await this.runAll([uai]);
    if (uai !== undefined) this.scheduler.noteReachability(!result.unreachable);
    const { unreachable: _unreachable, ...summary } = result;
    return summary;
  }

  /**
   * For a feature that has just enqueued a mutation: send it now when signed in (the run flushes the outbox, then
   * syncs so the mirror gets the confirmed record). Offline, the item waits for the scheduler's return to online.
   */
  /**
   * Lets another capability react to each finished sync run of an establishment (e.g. the review queue ingests the
   * identity changes the run brought). Listeners must not throw; returns the unsubscribe function.
   */
  onRunFinished(listener: (uai: string, summary: SyncSummary) => void): () => void {
    this.runListeners.add(listener);
    return () => this.runListeners.delete(listener);
  }

  kick(): void {
    if (!this.operator || this.closed) return;
    void this.scheduler.runNow().catch((error: unknown) => this.log(`run after an outbox change failed: ${String(error)}`));
  }

  private async runAll(only?: string[]): Promise<RunAllResult> {
    const uais = only ?? this.operatorUais();
    await this.ensureClient();
    if (!this.client?.signedIn) throw new ApiError('UNAUTHORIZED', syncStrings.notSignedIn);
    const flush: FlushResult = await this.sender.flush(uais);
    const runs: SyncSummary[] = [];
    let unreachable = flush.unreachable;
    if (!flush.unreachable && !flush.signedOut) {
      if (only === undefined) {
        await this.refreshEstablishments().catch((error: unknown) => {
          if (error instanceof DirectoryError && error.unreachable) unreachable = true;
        });
      }
      for (const uai of uais) {
        if (this.closed || unreachable) break;
        const summary = await this.engine.run(uai);
        for (const listener of this.runListeners) listener(uai, summary);
        runs.push(summary);
        if (summary.outcome === 'error' && summary.error && ['NETWORK', 'TIMEOUT'].includes(summary.error.code)) unreachable = true;
      }
    }
    if (unreachable) this.engine.setOffline(uais, true);
    return {
      outbox: { sent: flush.sent, failed: flush.failed, conflicts: flush.conflicts, pending: flush.pending },
      runs,
      unreachable,
    };
  }

  /** The sync state of `uais` (the caller's establishments; by default the signed-in operator's) and their run history. */
  status(historyLimit = 20, uais: readonly string[] = this.operatorUais()): SyncStatus {
    const { db } = this.options;
    const states = new Map(this.engine.state.all().map((s) => [s.uai, s]));
    const establishments: SyncEstablishmentStatus[] = uais.map((uai) => {
      const state = states.get(uai);
      const live = this.engine.liveState(uai);
      const totals = state?.totals ? (JSON.parse(state.totals) as TotalsCheck) : null;
      return {
        uai,
        name: this.establishmentName(uai),
        state: live.state === 'idle' && state?.last_error_code ? 'error' : live.state,
        phase: live.phase,
        hasCursor: Boolean(state?.cursor),
        snapshotInProgress: Boolean(state?.snapshot_target),
        lastSuccessAt: state?.last_success_at ?? null,
        lastError:
          state?.last_error_code && state.last_error_message
            ? { code: state.last_error_code, message: state.last_error_message }
            : null,
        counts: {
          local: this.engine.mirror.counts(uai),
          directory: totals?.directory ?? null,
          match: totals?.match ?? null,
          checkedAt: totals?.checkedAt ?? null,
        },
        outbox: outboxCounts(db, uai),
      };
    });
    return {
      signedIn: this.operator !== null,
      online: this.scheduler.online,
      intervalMinutes: this.intervalMinutes(),
      nextRunAt: this.scheduler.nextRunAt?.toISOString() ?? null,
      establishments,
      history: this.engine.state.history(historyLimit, uais).map(toHistoryItem),
    };
  }

  handlers(): Pick<Handlers, 'establishments.list' | 'sync.run' | 'sync.status' | 'outbox.list' | 'outbox.retry' | 'outbox.discard'> {
    const { db } = this.options;
    return {
      'establishments.list': () => this.listEstablishments(),
      'sync.run': ({ uai }) => this.run(uai),
      'sync.status': ({ historyLimit }, ctx) => this.status(historyLimit, ctx.uais),
      'outbox.list': ({ states }, ctx) => listOutbox(db, { uais: ctx.uais, states }),
      'outbox.retry': ({ id }, ctx) => {
        const item = db.transaction(() => {
          const retried = retryItem(db, id);
          ctx.audit({ uai: retried.uai, targetType: 'outbox', targetId: String(id), after: { state: retried.state } });
          return retried;
        })();
        this.options.events.emit('outbox.changed', { id, uai: item.uai, state: 'pending' });
        this.kick();
        return item;
      },
      'outbox.discard': ({ id }, ctx) => {
        const uai = db.transaction(() => {
          const row = db.prepare('SELECT uai, state, kind FROM outbox WHERE id = ?').get(id) as { uai: string; state: string; kind: string } | undefined;
          discardItem(db, id);
          ctx.audit({ uai: row!.uai, targetType: 'outbox', targetId: String(id), before: { state: row!.state, kind: row!.kind }, after: { state: 'discarded' } });
          return row!.uai;
        })();
        this.options.events.emit('outbox.changed', { id, uai, state: 'discarded' });
        return { id, discarded: true as const };
      },
    };
  }

  /** Stops at once (timers, running syncs at their next step), then waits for them and the demo directory. */
  async close(): Promise<void> {
    this.closed = true;
    this.scheduler.stop();
    const engineStopped = this.engine.close();
    await engineStopped;
    if (this.ownsWriter) await this.writer.close();
    await this.starting?.catch(() => undefined);
    await this.demo?.close();
    this.demo = null;
  }

  private operatorUais(): string[] {
    return this.operator?.uais ?? [];
  }

  private intervalMinutes(): number {
    const raw = this.options.db.prepare("SELECT value FROM settings WHERE key = 'sync.intervalMinutes'").pluck().get() as
      | string
      | undefined;
    const value = raw === undefined ? NaN : Number(JSON.parse(raw));
    return Number.isInteger(value) && value > 0 ? value : DEFAULT_INTERVAL_MINUTES;
  }

  private establishmentName(uai: string): string | null {
    return (this.options.db.prepare('SELECT name FROM establishments WHERE uai = ?').pluck().get(uai) as string | undefined) ?? null;
  }
}

function toHistoryItem(row: SyncRunRow): SyncHistoryItem {
  return {
    id: row.id,
    uai: row.uai,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    outcome: row.outcome,
    mode: row.mode,
    recordsApplied: row.records_applied,
    pages: row.pages,
    error: row.error_code ? { code: row.error_code, message: row.error_message ?? '' } : null,
    notes: row.notes,
  };
}

export function upsertEstablishments(db: Database, items: Establishment[]): void {
  const stmt = db.prepare(
    `INSERT INTO establishments (uai, name, kind, is_private, raw, city, academy, updated_at)
     VALUES (@uai, @name, @kind, @isPrivate, @raw, @city, @academy, @updatedAt)
     ON CONFLICT (uai) DO UPDATE SET name = excluded.name, kind = excluded.kind, is_private = excluded.is_private,
       raw = excluded.raw, city = excluded.city, academy = excluded.academy, updated_at = excluded.updated_at`,
  );
  const updatedAt = new Date().toISOString();
  db.transaction(() => {
    for (const e of items) {
      stmt.run({
        uai: e.uai,
        name: e.name,
        kind: ['ecole', 'college', 'lycee'].includes(e.kind) ? e.kind : 'autre',
        isPrivate: e.isPrivate ? 1 : 0,
        raw: JSON.stringify(e),
        city: e.city,
        academy: e.academy,
        updatedAt,
      });
    }
  })();
}
