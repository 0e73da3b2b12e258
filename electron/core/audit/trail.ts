/**
 * The audit trail: one append-only row per audited change, each linked to the previous by a SHA-256 hash
 * (hash = sha256(previous hash + canonical JSON of the row)), so editing, inserting or removing a row in the middle
 * breaks the chain at that row. SQLite triggers refuse UPDATE and DELETE; the only deletion is the rollover's purge
 * of old entries, which records a checkpoint holding the hash the first kept entry links to.
 *
 * Limits (docs/governance.md): whoever can rewrite the database file can recompute the whole chain; the chain detects
 * edits made without doing so (a hand edit, a restored row, a faulty tool), and an exported copy pins past entries.
 */
import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { AuditEntry, AuditFilter, AuditVerifyResult } from '../../../shared/api/contract';
import type { AuditEvent } from '../dispatcher';

export const GENESIS_HASH = '0'.repeat(64);

/** A row as stored, without its own hash (what the hash covers). */
export interface AuditRowBody {
  id: number;
  at: string;
  operator: string | null;
  role: string | null;
  method: string;
  transport: string;
  uai: string | null;
  target_type: string | null;
  target_id: string | null;
  before: string | null;
  after: string | null;
  reason: string | null;
  outcome: 'ok' | 'refused' | 'error';
  error_code: string | null;
  prev_hash: string;
}

export interface AuditRow extends AuditRowBody {
  hash: string;
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function rowHash(previousHash: string, row: AuditRowBody): string {
  const { prev_hash: _prev, ...body } = row;
  return createHash('sha256').update(previousHash).update(canonicalJson(body)).digest('hex');
}

const SECRET_KEY = /password|secret|token/i;

/** Serialises before/after for the trail, dropping anything that looks like a secret (defence in depth). */
function snapshot(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (key, v: unknown) => (key && SECRET_KEY.test(key) ? '[masqué]' : v));
}

export interface AuditPage {
  total: number;
  items: AuditEntry[];
}

export class AuditTrail {
  private readonly insert;
  private readonly lastHash;
  private readonly nextId;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (id, at, operator, role, method, transport, uai, target_type, target_id, before, after,
         reason, outcome, error_code, prev_hash, hash)
       VALUES (@id, @at, @operator, @role, @method, @transport, @uai, @target_type, @target_id, @before, @after,
         @reason, @outcome, @error_code, @prev_hash, @hash)`,
    );
    this.lastHash = db.prepare(
      `SELECT COALESCE(
         (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1),
         (SELECT anchor_hash FROM audit_checkpoints ORDER BY id DESC LIMIT 1),
         ?)`,
    );
    this.nextId = db.prepare(
      "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0) + 1",
    );
  }

  /** Appends one row per detail the handler gave (one bare row when it gave none), chained in one transaction. */
  record(event: AuditEvent): void {
    const details = event.details.length > 0 ? event.details : [{}];
    this.db.transaction(() => {
      for (const detail of details) {
        const body: AuditRowBody = {
          id: this.nextId.pluck().get() as number,
          at: event.at.toISOString(),
          operator: event.operator?.login ?? null,
          role: event.operator?.role ?? null,
          method: event.method,
          transport: event.transport,
          uai: detail.uai ?? null,
          target_type: detail.targetType ?? null,
          target_id: detail.targetId ?? null,
          before: snapshot(detail.before),
          after: snapshot(detail.after),
          reason: detail.reason ?? null,
          outcome: event.outcome,
          error_code: event.errorCode,
          prev_hash: this.lastHash.pluck().get(GENESIS_HASH) as string,
        };
        this.insert.run({ ...body, hash: rowHash(body.prev_hash, body) });
      }
    })();
  }

  /** Walks the whole chain from the last checkpoint (or the genesis). */
  verify(): AuditVerifyResult {
    const checkpoint = this.db
      .prepare('SELECT anchor_hash, purged_through FROM audit_checkpoints ORDER BY id DESC LIMIT 1')
      .get() as { anchor_hash: string; purged_through: number } | undefined;
    const purged = this.db.prepare('SELECT COALESCE(SUM(purged_count), 0) FROM audit_checkpoints').pluck().get() as number;
    let expected = checkpoint?.anchor_hash ?? GENESIS_HASH;
    let entries = 0;
    let firstBadEntry: number | null = null;
    let previousId = checkpoint?.purged_through ?? 0;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<AuditRow>) {
      entries += 1;
      if (firstBadEntry !== null) continue;
      const { hash, ...body } = row;
      // Ids only grow: a row with an id at or below the previous one (or the purge point) was put there by hand.
      if (row.id <= previousId || row.prev_hash !== expected || rowHash(expected, body) !== hash) firstBadEntry = row.id;
      previousId = row.id;
      expected = hash;
    }
    return { ok: firstBadEntry === null, entries, firstBadEntry, purged };
  }

  list(filter: AuditFilter & { offset?: number; limit?: number }, uais: readonly string[] | null): AuditPage {
    const { where, params } = filterSql(filter, uais);
    const total = this.db.prepare(`SELECT COUNT(*) FROM audit_log ${where}`).pluck().get(...params) as number;
    const rows = this.db
      .prepare(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT ? OFFSET ?`)
      .all(...params, filter.limit ?? 50, filter.offset ?? 0) as AuditRow[];
    return { total, items: rows.map(toEntry) };
  }

  /** Every matching row, oldest first, for the export (bounded by the filter; the trail is retention-limited). */
  *iterate(filter: AuditFilter, uais: readonly string[] | null): Generator<AuditEntry> {
    const { where, params } = filterSql(filter, uais);
    for (const row of this.db.prepare(`SELECT * FROM audit_log ${where} ORDER BY id`).iterate(...params) as Iterable<AuditRow>) {
      yield toEntry(row);
    }
  }

  /** Entries older than `before` (ISO date): what a purge at that date would remove. */
  purgeCandidates(before: string): { count: number; throughId: number | null } {
    const row = this.db
      .prepare('SELECT COUNT(*) AS count, MAX(id) AS throughId FROM audit_log WHERE id <= (SELECT MAX(id) FROM audit_log WHERE at < ?)')
      .get(before) as { count: number; throughId: number | null };
    return row;
  }

  /**
   * Deletes every entry up to `throughId` and records the checkpoint that re-anchors the chain. Runs inside the
   * caller's transaction (the rollover's), which holds the purge gate only for these statements.
   */
  purgeThrough(throughId: number, operator: string, at: Date): number {
    if (!this.db.inTransaction) throw new Error('audit purge must run inside the rollover transaction');
    const anchor = this.db.prepare('SELECT hash FROM audit_log WHERE id = ?').pluck().get(throughId) as string | undefined;
    if (anchor === undefined) throw new Error(`audit entry ${throughId} not found`);
    this.db.prepare('INSERT INTO audit_purge_gate (open) VALUES (1)').run();
    const removed = this.db.prepare('DELETE FROM audit_log WHERE id <= ?').run(throughId).changes;
    this.db.prepare('DELETE FROM audit_purge_gate').run();
    this.db
      .prepare('INSERT INTO audit_checkpoints (at, operator, purged_through, purged_count, anchor_hash) VALUES (?, ?, ?, ?, ?)')
      .run(at.toISOString(), operator, throughId, removed, anchor);
    return removed;
  }
}

function filterSql(filter: AuditFilter, uais: readonly string[] | null): { where: string; params: unknown[] } {
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (uais) {
    // Entries without an establishment (sign-ins, workstation settings) are shown to every head of establishment.
    clauses.push(`(uai IS NULL OR uai IN (${uais.map(() => '?').join(', ') || "''"}))`);
    params.push(...uais);
  }
  if (filter.uai) {
    clauses.push('uai = ?');
    params.push(filter.uai);
  }
  if (filter.operator) {
    clauses.push("operator LIKE ? ESCAPE '\\'");
    params.push(`%${filter.operator.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (filter.method) {
    clauses.push("method LIKE ? ESCAPE '\\'");
    params.push(`${filter.method.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  }
  if (filter.outcome) {
    clauses.push('outcome = ?');
    params.push(filter.outcome);
  }
  if (filter.from) {
    clauses.push('at >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    // `to` is a day: include all of it.
    clauses.push('at < ?');
    params.push(nextDay(filter.to));
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function parse(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    id: row.id,
    at: row.at,
    operator: row.operator,
    role: row.role,
    method: row.method,
    transport: row.transport,
    uai: row.uai,
    targetType: row.target_type,
    targetId: row.target_id,
    before: parse(row.before),
    after: parse(row.after),
    reason: row.reason,
    outcome: row.outcome,
    errorCode: row.error_code,
  };
}
