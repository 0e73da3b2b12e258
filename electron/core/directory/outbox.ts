/**
 * The outbox: local mutations waiting for the directory. A feature writes its local change and calls `enqueue` in
 * ONE transaction, so a change is never kept without its outbox row nor sent without being kept. The sender delivers
 * items in order with their idempotency key, so a resend after a crash or a lost answer is applied at most once.
 */
import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import {
  MUTATION_TARGET_TYPE,
  mutationNeedsIfMatch,
  type MutationRequest,
  type MutationResponse,
} from '../../../shared/directory/wire';
import type { OutboxItem } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { EventBus } from '../events';
import type { DirectoryClient } from './client';
import { DirectoryError, isTransientStatus } from './errors';
import type { Mirror } from './mirror';
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from './retry';
import { outboxStrings } from './strings';

export type OutboxState = 'pending' | 'in_flight' | 'done' | 'failed' | 'conflict';

export interface OutboxRow {
  id: number;
  uai: string;
  idempotency_key: string;
  kind: MutationRequest['kind'];
  target_type: string;
  target_id: string;
  if_match: number | null;
  payload: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  result: string | null;
}

export interface NewMutation {
  uai: string;
  request: MutationRequest;
  /** Version of the target record the operator saw; required for every kind but `link.create`. */
  ifMatch: number | null;
}

/**
 * Adds a mutation to the outbox. Call it inside the transaction that records the local change.
 * Returns the row id and the idempotency key.
 */
export function enqueue(db: Database, mutation: NewMutation, now = new Date()): { id: number; idempotencyKey: string } {
  if (!db.inTransaction) throw new Error('outbox.enqueue must run inside the transaction of the local change');
  const { request } = mutation;
  if (mutationNeedsIfMatch(request.kind) && mutation.ifMatch === null) {
    throw new Error(`${request.kind} needs the version of its target (If-Match)`);
  }
  const idempotencyKey = randomUUID();
  const at = now.toISOString();
  const info = db
    .prepare(
      `INSERT INTO outbox (uai, idempotency_key, kind, target_type, target_id, if_match, payload, state, attempts,
         next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)`,
    )
    .run(
      mutation.uai,
      idempotencyKey,
      request.kind,
      MUTATION_TARGET_TYPE[request.kind],
      request.targetId,
      mutation.ifMatch,
      JSON.stringify(request.payload ?? {}),
      at,
      at,
      at,
    );
  return { id: Number(info.lastInsertRowid), idempotencyKey };
}

/** Items cut off in flight by a crash go back to the queue; their idempotency key makes the resend safe. */
export function recoverInFlight(db: Database, now = new Date()): number {
  return db
    .prepare("UPDATE outbox SET state = 'pending', updated_at = ? WHERE state = 'in_flight'")
    .run(now.toISOString()).changes;
}

export function toOutboxItem(row: OutboxRow): OutboxItem {
  return {
    id: row.id,
    uai: row.uai,
    kind: row.kind,
    targetType: row.target_type,
    targetId: row.target_id,
    ifMatch: row.if_match,
    payload: JSON.parse(row.payload) as unknown,
    state: row.state,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
  };
}

export function getOutboxRow(db: Database, id: number): OutboxRow | undefined {
  return db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
}

/** The outbox items of these establishments (the caller's), optionally in some states only. */
export function listOutbox(db: Database, filter: { uais: readonly string[]; states?: OutboxState[] }): OutboxItem[] {
  if (filter.uais.length === 0) return [];
  const where: string[] = [`uai IN (${filter.uais.map(() => '?').join(', ')})`];
  const params: unknown[] = [...filter.uais];
  if (filter.states && filter.states.length > 0) {
    where.push(`state IN (${filter.states.map(() => '?').join(', ')})`);
    params.push(...filter.states);
  }
  const rows = db
    .prepare(`SELECT * FROM outbox WHERE ${where.join(' AND ')} ORDER BY id LIMIT 1000`)
    .all(...params) as OutboxRow[];
  return rows.map(toOutboxItem);
}

export function outboxCounts(db: Database, uai: string): { pending: number; failed: number; conflict: number } {
  const rows = db
    .prepare("SELECT state, count(*) AS n FROM outbox WHERE uai = ? AND state IN ('pending', 'in_flight', 'failed', 'conflict') GROUP BY state")
    .all(uai) as { state: OutboxState; n: number }[];
  const count = (state: OutboxState) => rows.find((r) => r.state === state)?.n ?? 0;
  return { pending: count('pending') + count('in_flight'), failed: count('failed'), conflict: count('conflict') };
}

/**
 * Back in the queue at the operator's request. A conflict is resent against the directory's current version, and a
 * refused item under a new key (the directory refused it, so nothing was applied, and it remembers the old key's
 * refusal). An item that gave up after transient failures keeps its key: it may have been applied already.
 */
export function retryItem(db: Database, id: number, now = new Date()): OutboxItem {
  return db.transaction(() => {
    const row = getOutboxRow(db, id);
    if (!row) throw new ApiError('NOT_FOUND', outboxStrings.notFound(id));
    if (row.state !== 'failed' && row.state !== 'conflict') throw new ApiError('CONFLICT', outboxStrings.notRetryable);
    if (row.payload === 'null') throw new ApiError('CONFLICT', outboxStrings.purged, { id });
    let ifMatch = row.if_match;
    if (row.state === 'conflict') {
      const current = row.result ? (JSON.parse(row.result) as { version?: unknown }) : null;
      if (typeof current?.version === 'number') ifMatch = current.version;
    }
    // 408 and 429 are not refusals: an item that gave up on them may have been applied, so it keeps its key.
    const status = row.last_status;
    const refused = row.state === 'conflict' || (status !== null && status >= 400 && status < 500 && !isTransientStatus(status));
    const at = now.toISOString();
    db.prepare(
      `UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = ?, last_error = NULL, if_match = ?,
         idempotency_key = ?, updated_at = ? WHERE id = ?`,
    ).run(at, ifMatch, refused ? randomUUID() : row.idempotency_key, at, id);
    return toOutboxItem(getOutboxRow(db, id)!);
  })();
}

export function discardItem(db: Database, id: number): void {
  db.transaction(() => {
    const row = getOutboxRow(db, id);
    if (!row) throw new ApiError('NOT_FOUND', outboxStrings.notFound(id));
    if (row.state === 'in_flight' || row.state === 'done') throw new ApiError('CONFLICT', outboxStrings.notDiscardable);
    db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
  })();
}

export interface FlushResult {
  sent: number;
  failed: number;
  conflicts: number;
  /** Items still waiting (a transient failure stopped the flush, or their next attempt is later). */
  pending: number;
  /** The directory could not be reached: the scheduler goes offline. */
  unreachable: boolean;
  /** The session is gone: sign in again. */
  signedOut: boolean;
}

export interface OutboxSenderOptions {
  db: Database;
  client: () => DirectoryClient;
  mirror: Mirror;
  events?: EventBus;
  retry?: RetryPolicy;
  /** Transient failures before an item is marked failed (it can be retried by hand). */
  maxAttempts?: number;
  log?: (message: string) => void;
  now?: () => Date;
  /** Called with a confirmed mutation's response (the only place a temporary password is seen). */
  onConfirmed?: (row: OutboxRow, response: MutationResponse) => void;
}

export class OutboxSender {
  private readonly retry: RetryPolicy;
  private readonly maxAttempts: number;
  private readonly log: (message: string) => void;
  private readonly now: () => Date;
  private flushing: Promise<FlushResult> | null = null;

  constructor(private readonly options: OutboxSenderOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.maxAttempts = options.maxAttempts ?? 10;
    this.log = options.log ?? ((message) => console.warn(`[outbox] ${message}`));
    this.now = options.now ?? (() => new Date());
  }

  /** Sends due items in order; concurrent calls share one flush. */
  flush(uais?: string[]): Promise<FlushResult> {
    this.flushing ??= this.flushOnce(uais).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushOnce(uais?: string[]): Promise<FlushResult> {
    const { db } = this.options;
    const result: FlushResult = { sent: 0, failed: 0, conflicts: 0, pending: 0, unreachable: false, signedOut: false };
    const scope = uais && uais.length > 0 ? ` AND uai IN (${uais.map(() => '?').join(', ')})` : '';
    const next = db.prepare(
      `SELECT * FROM outbox WHERE state = 'pending' AND id > ?${scope} ORDER BY id LIMIT 1`,
    );
    // Items of an establishment stay behind an earlier one still waiting for its next attempt: order per establishment.
    const blocked = new Set<string>();
    let after = 0;
    for (;;) {
      if (!db.open) break;
      const row = next.get(after, ...(uais ?? [])) as OutboxRow | undefined;
      if (!row) break;
      after = row.id;
      if (blocked.has(row.uai)) continue;
      if (row.next_attempt_at !== null && row.next_attempt_at > this.now().toISOString()) {
        blocked.add(row.uai);
        continue;
      }
      const outcome = await this.send(row);
      if (outcome === 'done') result.sent++;
      else if (outcome === 'failed') result.failed++;
      else if (outcome === 'conflict') result.conflicts++;
      else {
        blocked.add(row.uai);
        if (outcome === 'unreachable') {
          result.unreachable = true;
          break;
        }
        if (outcome === 'signed_out') {
          result.signedOut = true;
          break;
        }
      }
    }
    if (db.open) {
      result.pending = db
        .prepare(`SELECT count(*) FROM outbox WHERE state = 'pending'${scope}`)
        .pluck()
        .get(...(uais ?? [])) as number;
    }
    return result;
  }

  private async send(row: OutboxRow): Promise<'done' | 'failed' | 'conflict' | 'later' | 'unreachable' | 'signed_out'> {
    const { db } = this.options;
    const at = () => this.now().toISOString();
    db.prepare("UPDATE outbox SET state = 'in_flight', attempts = attempts + 1, updated_at = ? WHERE id = ?").run(at(), row.id);
    this.changed(row, 'in_flight');
    const request = { kind: row.kind, targetId: row.target_id, payload: JSON.parse(row.payload) as unknown } as MutationRequest;
    let response: MutationResponse;
    try {
      response = await this.options.client().mutate(row.uai, request, {
        idempotencyKey: row.idempotency_key,
        ifMatch: row.if_match,
      });
    } catch (error) {
      if (!db.open) return 'later';
      return this.handleFailure(row, error);
    }
    if (!db.open) return 'later';
    // The confirmed record goes into the mirror right away (version-guarded, so a sync that already brought it, or a
    // newer one, wins); the temporary password of a reset never reaches the database.
    const { temporaryPassword: _secret, ...kept } = response;
    db.transaction(() => {
      const record = response.record;
      this.options.mirror.write(row.uai, {
        type: record.type,
        id: record.id,
        version: record.version,
        seq: null,
        data: response.deleted ? null : JSON.stringify(record.data),
      });
      db.prepare(
        "UPDATE outbox SET state = 'done', result = ?, last_error = NULL, last_status = 200, next_attempt_at = NULL, updated_at = ? WHERE id = ?",
      ).run(JSON.stringify(kept), at(), row.id);
    })();
    this.changed(row, 'done');
    this.options.onConfirmed?.(row, response);
    return 'done';
  }

  private handleFailure(row: OutboxRow, error: unknown): 'failed' | 'conflict' | 'later' | 'unreachable' | 'signed_out' {
    const { db } = this.options;
    const at = this.now().toISOString();
    const attempts = row.attempts + 1;
    if (error instanceof DirectoryError && (error.transient || error.kind === 'signed_out' || error.status === 401)) {
      const gone = error.kind === 'signed_out' || error.status === 401;
      if (!gone && attempts >= this.maxAttempts) {
        this.log(`item ${row.id} (${row.kind}) gave up after ${attempts} attempts: ${error.logLine()}`);
        db.prepare("UPDATE outbox SET state = 'failed', last_status = ?, last_error = ?, updated_at = ? WHERE id = ?").run(
          error.status,
          outboxStrings.gaveUp(attempts, error.message),
          at,
          row.id,
        );
        this.changed(row, 'failed');
        return 'failed';
      }
      const delay = gone ? 0 : backoffDelay(this.retry, attempts, error.retryAfterMs);
      db.prepare(
        "UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_status = ?, last_error = ?, updated_at = ? WHERE id = ?",
      ).run(new Date(this.now().getTime() + delay).toISOString(), error.status, error.message, at, row.id);
      this.changed(row, 'pending');
      this.log(`item ${row.id} (${row.kind}) will be retried in ${Math.round(delay)} ms: ${error.logLine()}`);
      return gone ? 'signed_out' : error.unreachable ? 'unreachable' : 'later';
    }
    if (error instanceof DirectoryError && error.code === 'VERSION_MISMATCH') {
      const current = (error.details as { current?: unknown } | undefined)?.current ?? null;
      db.prepare("UPDATE outbox SET state = 'conflict', last_status = 412, last_error = ?, result = ?, updated_at = ? WHERE id = ?").run(
        outboxStrings.conflict,
        current === null ? null : JSON.stringify(current),
        at,
        row.id,
      );
      this.changed(row, 'conflict');
      return 'conflict';
    }
    const message = error instanceof DirectoryError ? error.message : String(error);
    this.log(`item ${row.id} (${row.kind}) refused: ${error instanceof DirectoryError ? error.logLine() : message}`);
    db.prepare("UPDATE outbox SET state = 'failed', last_status = ?, last_error = ?, updated_at = ? WHERE id = ?").run(
      error instanceof DirectoryError ? error.status : null,
      message,
      at,
      row.id,
    );
    this.changed(row, 'failed');
    return 'failed';
  }

  private changed(row: OutboxRow, state: OutboxState): void {
    this.options.events?.emit('outbox.changed', { id: row.id, uai: row.uai, state });
  }
}
