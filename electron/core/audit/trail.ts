/**
 * The audit trail: one append-only row per audited change, in one hash chain per establishment (and one for the
 * entries without an establishment: sign-ins, workstation settings). Each row links to the previous row of its chain
 * by a SHA-256 hash (hash = sha256(previous hash + canonical JSON of the row)), so editing, inserting or removing a
 * row breaks its chain at the next row. Each chain's head (its last entry's id and hash, how many entries it holds
 * and its latest checkpoint, sealed by a hash) is kept apart in `audit_heads` and moved in the same transaction as
 * every append, so removing the newest entries, or the oldest behind a forged checkpoint, is seen too.
 *
 * SQLite triggers refuse UPDATE and DELETE; the only deletion is a rollover's purge of the old entries of one chain,
 * which records a checkpoint holding the hash the chain's first kept entry links to, and moves the chain's head.
 *
 * Limits (docs/governance.md): whoever can rewrite the database file can recompute every hash; the chains detect
 * edits made without doing so (a hand edit, a restored row, a faulty tool), and an exported copy pins past entries.
 */
import type { Database } from 'better-sqlite3';
import { createHash } from 'node:crypto';
import type { AuditEntry, AuditFilter, AuditVerifyResult } from '../../../shared/api/contract';
import type { AuditEvent } from '../dispatcher';
import { auditStrings as s } from './strings';

export const GENESIS_HASH = '0'.repeat(64);

/** The chain an entry belongs to: its establishment, or '' (the workstation's chain) when it has none. */
export const chainOf = (uai: string | null): string => uai ?? '';

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

export interface AuditHead {
  chain: string;
  last_id: number;
  last_hash: string;
  entries: number;
  checkpoint_id: number | null;
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

const sha256 = (...parts: string[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

export function rowHash(previousHash: string, row: AuditRowBody): string {
  const { prev_hash: _prev, ...body } = row;
  return sha256(previousHash, canonicalJson(body));
}

/** Binds a chain's head to its last entry: changing any column without recomputing this shows. */
export function headSeal(head: AuditHead): string {
  const { last_hash, ...rest } = head;
  return sha256(last_hash, canonicalJson(rest));
}

const SECRET_KEY = /password|secret|token/i;

/** Serialises before/after for the trail, dropping anything that looks like a secret (defence in depth). */
function snapshot(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value, (key, v: unknown) => (key && SECRET_KEY.test(key) ? '[masqué]' : v));
}

/** SQL matching the rows of one chain (`uai IS NULL` for the workstation's, so the (uai, id) index serves both). */
function inChain(chain: string): { sql: string; params: string[] } {
  return chain === '' ? { sql: 'uai IS NULL', params: [] } : { sql: 'uai = ?', params: [chain] };
}

export interface AuditPage {
  total: number;
  items: AuditEntry[];
}

interface Checkpoint {
  id: number;
  chain: string | null;
  purged_through: number;
  purged_count: number;
  anchor_hash: string;
}

export class AuditTrail {
  private readonly insert;
  private readonly head;
  private readonly updateHead;
  private readonly insertHead;
  private readonly nextId;

  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT INTO audit_log (id, at, operator, role, method, transport, uai, target_type, target_id, before, after,
         reason, outcome, error_code, prev_hash, hash)
       VALUES (@id, @at, @operator, @role, @method, @transport, @uai, @target_type, @target_id, @before, @after,
         @reason, @outcome, @error_code, @prev_hash, @hash)`,
    );
    this.head = db.prepare('SELECT chain, last_id, last_hash, entries, checkpoint_id FROM audit_heads WHERE chain = ?');
    this.updateHead = db.prepare(
      'UPDATE audit_heads SET last_id = @last_id, last_hash = @last_hash, entries = @entries, checkpoint_id = @checkpoint_id, seal = @seal WHERE chain = @chain',
    );
    this.insertHead = db.prepare(
      'INSERT INTO audit_heads (chain, last_id, last_hash, entries, checkpoint_id, seal) VALUES (@chain, @last_id, @last_hash, @entries, @checkpoint_id, @seal)',
    );
    this.nextId = db.prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0) + 1");
  }

  private readHead(chain: string): AuditHead | undefined {
    return this.head.get(chain) as AuditHead | undefined;
  }

  private writeHead(head: AuditHead, existed: boolean): void {
    (existed ? this.updateHead : this.insertHead).run({ ...head, seal: headSeal(head) });
  }

  /** Appends one row per detail the handler gave (one bare row when it gave none), each to its chain, in one transaction. */
  record(event: AuditEvent): void {
    const details = event.details.length > 0 ? event.details : [{}];
    this.db.transaction(() => {
      for (const detail of details) {
        const uai = detail.uai ?? null;
        const head = this.readHead(chainOf(uai));
        const body: AuditRowBody = {
          id: this.nextId.pluck().get() as number,
          at: event.at.toISOString(),
          operator: event.operator?.login ?? null,
          role: event.operator?.role ?? null,
          method: event.method,
          transport: event.transport,
          uai,
          target_type: detail.targetType ?? null,
          target_id: detail.targetId ?? null,
          before: snapshot(detail.before),
          after: snapshot(detail.after),
          reason: detail.reason ?? null,
          outcome: event.outcome,
          error_code: event.errorCode,
          prev_hash: head?.last_hash ?? GENESIS_HASH,
        };
        const hash = rowHash(body.prev_hash, body);
        this.insert.run({ ...body, hash });
        this.writeHead(
          { chain: chainOf(uai), last_id: body.id, last_hash: hash, entries: (head?.entries ?? 0) + 1, checkpoint_id: head?.checkpoint_id ?? null },
          head !== undefined,
        );
      }
    })();
  }

  /**
   * Walks every chain from its last checkpoint (or the genesis), then compares each with its head; reports in French
   * what does not match. `firstBadEntry` is the first entry whose hash or link does not match, if one does.
   */
  verify(): AuditVerifyResult {
    const problems: string[] = [];
    const checkpoints = this.db.prepare('SELECT id, chain, purged_through, purged_count, anchor_hash FROM audit_checkpoints ORDER BY id').all() as Checkpoint[];
    const latest = new Map<string, Checkpoint>();
    for (const c of checkpoints) if (c.chain !== null) latest.set(c.chain, c);
    const purged = checkpoints.reduce((sum, c) => sum + c.purged_count, 0);
    const heads = new Map((this.db.prepare('SELECT * FROM audit_heads').all() as (AuditHead & { seal: string })[]).map((h) => [h.chain, h]));
    const rechain = this.db.prepare('SELECT * FROM audit_rechain').get() as
      | { first_bad_entry: number | null; last_sequence: number; last_checkpoint: number }
      | undefined;

    const walks = new Map<string, { expected: string; lastId: number; count: number; bad: number | null }>();
    const walk = (chain: string) => {
      let w = walks.get(chain);
      if (!w) {
        const c = latest.get(chain);
        w = { expected: c?.anchor_hash ?? GENESIS_HASH, lastId: c?.purged_through ?? 0, count: 0, bad: null };
        walks.set(chain, w);
      }
      return w;
    };
    let entries = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<AuditRow>) {
      entries += 1;
      const w = walk(chainOf(row.uai));
      w.count += 1;
      if (w.bad !== null) continue;
      const { hash, ...body } = row;
      // Ids only grow: a row with an id at or below the previous one (or the purge point) was put there by hand.
      if (row.id <= w.lastId || row.prev_hash !== w.expected || rowHash(w.expected, body) !== hash) w.bad = row.id;
      w.lastId = row.id;
      w.expected = hash;
    }

    const chains = [...new Set([...walks.keys(), ...heads.keys(), ...latest.keys()])].sort();
    for (const chain of chains) {
      const w = walk(chain);
      const head = heads.get(chain);
      const name = s.verify.chain(chain);
      if (w.bad !== null) problems.push(s.verify.badEntry(name, w.bad));
      if (!head) {
        problems.push(s.verify.noHead(name));
        continue;
      }
      const { seal, ...fields } = head;
      if (headSeal(fields) !== seal) problems.push(s.verify.headAltered(name));
      const checkpoint = latest.get(chain);
      if ((checkpoint?.id ?? null) !== head.checkpoint_id) problems.push(s.verify.unknownCheckpoint(name, checkpoint?.id ?? null));
      if (w.bad !== null) continue;
      if (w.lastId !== head.last_id || w.expected !== head.last_hash) problems.push(s.verify.newestMissing(name, head.last_id, w.lastId));
      if (w.count !== head.entries) problems.push(s.verify.countMismatch(name, head.entries, w.count));
    }

    // The AUTOINCREMENT sequence remembers the highest id ever given: if no head reached it, the newest entries went
    // and their head was rewritten to match.
    const sequence = (this.db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").pluck().get() as number | undefined) ?? 0;
    const highest = Math.max(rechain?.last_sequence ?? 0, ...[...heads.values()].map((h) => h.last_id));
    if (sequence !== highest) problems.push(s.verify.sequence(sequence, highest));
    for (const c of checkpoints) {
      if (c.chain === null && c.id > (rechain?.last_checkpoint ?? 0)) problems.push(s.verify.strayCheckpoint(c.id));
    }
    if (rechain && rechain.first_bad_entry !== null) problems.push(s.verify.alteredBefore(rechain.first_bad_entry));

    const bad = [...walks.values()].map((w) => w.bad).filter((id): id is number => id !== null);
    const firstBadEntry = bad.length > 0 ? Math.min(...bad) : null;
    return { ok: problems.length === 0, entries, firstBadEntry, purged, problems };
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

  /** The entries of one chain older than `before` (ISO date): what a purge at that date would remove, a prefix of it. */
  purgeCandidates(chain: string, before: string): { count: number; throughId: number | null } {
    const { sql, params } = inChain(chain);
    const throughId = this.db.prepare(`SELECT MAX(id) FROM audit_log WHERE ${sql} AND at < ?`).pluck().get(...params, before) as number | null;
    if (throughId === null) return { count: 0, throughId: null };
    const count = this.db.prepare(`SELECT COUNT(*) FROM audit_log WHERE ${sql} AND id <= ?`).pluck().get(...params, throughId) as number;
    return { count, throughId };
  }

  /**
   * Deletes the entries of one chain up to `throughId`, records the checkpoint that re-anchors that chain and moves
   * its head. Runs inside the caller's transaction (the rollover's), which holds the purge gate only for these
   * statements. Other chains are not touched.
   */
  purgeThrough(chain: string, throughId: number, operator: string, at: Date): number {
    if (!this.db.inTransaction) throw new Error('audit purge must run inside the rollover transaction');
    const { sql, params } = inChain(chain);
    const anchor = this.db.prepare(`SELECT hash FROM audit_log WHERE ${sql} AND id = ?`).pluck().get(...params, throughId) as string | undefined;
    const head = this.readHead(chain);
    if (anchor === undefined || !head) throw new Error(`audit entry ${throughId} not found in chain '${chain}'`);
    this.db.prepare('INSERT INTO audit_purge_gate (open) VALUES (1)').run();
    const removed = this.db.prepare(`DELETE FROM audit_log WHERE ${sql} AND id <= ?`).run(...params, throughId).changes;
    const checkpoint = this.db
      .prepare('INSERT INTO audit_checkpoints (at, operator, purged_through, purged_count, anchor_hash, chain) VALUES (?, ?, ?, ?, ?, ?)')
      .run(at.toISOString(), operator, throughId, removed, anchor, chain);
    this.writeHead({ ...head, entries: head.entries - removed, checkpoint_id: Number(checkpoint.lastInsertRowid) }, true);
    this.db.prepare('DELETE FROM audit_purge_gate').run();
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
