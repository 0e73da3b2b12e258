/**
 * The demo directory's own SQLite store. `records` keeps the current version of every record with the server
 * sequence of its last change, tombstones included: the change feed is this table read by `seq` (a compacted log),
 * and a snapshot is its live rows read by (type, id).
 */
import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { closeSync, existsSync, openSync } from 'node:fs';
import type { DirectoryRecord, Establishment, Operator, RecordDataByType, RecordType } from '../../shared/directory/wire';

export interface StoredRow {
  uai: string;
  type: RecordType;
  id: string;
  version: number;
  seq: number;
  data: string;
  deleted: number;
  changed_on: string;
}

export interface DemoOperator extends Operator {
  password: string;
}

export interface StoredResponse {
  fingerprint: string;
  status: number;
  body: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS establishments (
  uai TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, is_private INTEGER NOT NULL,
  city TEXT NOT NULL, academy TEXT NOT NULL,
  feed_floor INTEGER NOT NULL DEFAULT 0 -- cursors below this sequence are expired (purged tombstones)
);
CREATE TABLE IF NOT EXISTS records (
  uai TEXT NOT NULL, type TEXT NOT NULL, id TEXT NOT NULL,
  version INTEGER NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  changed_on TEXT NOT NULL, -- simulated day of the last change, for tombstone retention
  PRIMARY KEY (uai, type, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS records_feed ON records (uai, seq);
CREATE INDEX IF NOT EXISTS records_tombstones ON records (uai, changed_on) WHERE deleted = 1;
CREATE TABLE IF NOT EXISTS operators (
  login TEXT PRIMARY KEY, password TEXT NOT NULL, display_name TEXT NOT NULL, role TEXT NOT NULL, uais TEXT NOT NULL
);
-- The accounts of each kind at the end of each simulated day (the activation history's past denominators).
CREATE TABLE IF NOT EXISTS daily_totals (
  uai TEXT NOT NULL, day TEXT NOT NULL, pupils INTEGER NOT NULL, guardians INTEGER NOT NULL,
  PRIMARY KEY (uai, day)
) WITHOUT ROWID;
-- What a replay under the key answers (mutations.ts): never a temporary password.
CREATE TABLE IF NOT EXISTS idempotency (
  key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, status INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL
);
`;

export class DirectoryStore {
  readonly db: Db;
  private seqValue: number;
  private todayValue: string | undefined;
  private readonly stmts: {
    get: Statement<[string, string, string], StoredRow>;
    upsert: Statement<[string, string, string, number, number, string, number, string]>;
    setMeta: Statement<[string, string]>;
  };

  constructor(file: string | ':memory:') {
    // The user's alone, like the app's own files (SQLite gives -wal and -shm the database file's mode).
    if (file !== ':memory:' && !existsSync(file)) closeSync(openSync(file, 'w', 0o600));
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.stmts = {
      get: this.db.prepare('SELECT * FROM records WHERE uai = ? AND type = ? AND id = ?'),
      upsert: this.db.prepare(
        `INSERT INTO records (uai, type, id, version, seq, data, deleted, changed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (uai, type, id) DO UPDATE SET version = excluded.version, seq = excluded.seq,
           data = excluded.data, deleted = excluded.deleted, changed_on = excluded.changed_on`,
      ),
      setMeta: this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
    this.seqValue = Number(this.getMeta('seq') ?? 0);
  }

  /** Prepared once, reused: better-sqlite3 statements are cheap to run and costly to prepare. */
  private readonly cache = new Map<string, Statement>();
  private prepare<P extends unknown[], R = unknown>(sql: string): Statement<P, R> {
    let stmt = this.cache.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.cache.set(sql, stmt);
    }
    return stmt as unknown as Statement<P, R>;
  }

  close(): void {
    this.db.close();
  }

  /** Every write happens in one of these; the sequence counter is saved with it. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(() => {
      const result = fn();
      this.stmts.setMeta.run('seq', String(this.seqValue));
      return result;
    })();
  }

  // ------------------------------------------------------------ meta and clock

  getMeta(key: string): string | undefined {
    return this.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?').get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmts.setMeta.run(key, value);
  }

  get seq(): number {
    return this.seqValue;
  }

  get today(): string {
    this.todayValue ??= this.getMeta('today');
    if (!this.todayValue) throw new Error('demo directory store has no clock');
    return this.todayValue;
  }

  /** Moves the simulated clock (inside a transaction). */
  setToday(day: string): void {
    this.setMeta('today', day);
    this.todayValue = day;
  }

  /** Cursor epoch: bumped by the admin to expire every cursor at once. */
  get epoch(): number {
    return Number(this.getMeta('epoch') ?? 0);
  }

  bumpEpoch(): number {
    const next = this.epoch + 1;
    this.setMeta('epoch', String(next));
    return next;
  }

  get isGenerated(): boolean {
    return this.getMeta('generated') === '1';
  }

  // ------------------------------------------------------------ records

  get<T extends RecordType>(uai: string, type: T, id: string): StoredRow | undefined {
    return this.stmts.get.get(uai, type, id);
  }

  getLive<T extends RecordType>(uai: string, type: T, id: string): { version: number; data: RecordDataByType[T] } | undefined {
    const row = this.get(uai, type, id);
    return row && !row.deleted ? { version: row.version, data: JSON.parse(row.data) as RecordDataByType[T] } : undefined;
  }

  /** Writes a new version of a record and appends it to the change feed; returns the record as served. */
  put<T extends RecordType>(uai: string, type: T, id: string, data: RecordDataByType[T]): DirectoryRecord {
    const previous = this.get(uai, type, id);
    const version = (previous?.version ?? 0) + 1;
    const seq = this.nextSeq();
    this.stmts.upsert.run(uai, type, id, version, seq, JSON.stringify(data), 0, this.today);
    return { type, id, version, data } as DirectoryRecord;
  }

  /** Replaces a record by a tombstone (a new version, no data served) and appends the delete to the feed. */
  remove(uai: string, type: RecordType, id: string): StoredRow | undefined {
    const previous = this.get(uai, type, id);
    if (!previous || previous.deleted) return undefined;
    const seq = this.nextSeq();
    this.stmts.upsert.run(uai, type, id, previous.version + 1, seq, previous.data, 1, this.today);
    return { ...previous, version: previous.version + 1, seq, deleted: 1 };
  }

  /** Bulk insert for the generator: version 1, caller holds the transaction. */
  insertNew(uai: string, type: RecordType, id: string, data: unknown): void {
    this.stmts.upsert.run(uai, type, id, 1, this.nextSeq(), JSON.stringify(data), 0, this.today);
  }

  private nextSeq(): number {
    if (!this.db.inTransaction) throw new Error('directory store writes must run inside store.transaction()');
    this.seqValue += 1;
    return this.seqValue;
  }

  liveRows<T extends RecordType>(uai: string, type: T): Array<{ id: string; version: number; data: RecordDataByType[T] }> {
    return this.prepare<[string, string], { id: string; version: number; data: string }>(
        'SELECT id, version, data FROM records WHERE uai = ? AND type = ? AND deleted = 0 ORDER BY id',
      )
      .all(uai, type)
      .map((r) => ({ id: r.id, version: r.version, data: JSON.parse(r.data) as RecordDataByType[T] }));
  }

  snapshotPage(uai: string, after: { type: string; id: string } | null, limit: number): StoredRow[] {
    return this.prepare<[string, string, string, number], StoredRow>(
        `SELECT * FROM records WHERE uai = ? AND deleted = 0 AND (type, id) > (?, ?) ORDER BY type, id LIMIT ?`,
      )
      .all(uai, after?.type ?? '', after?.id ?? '', limit);
  }

  changesAfter(uai: string, seq: number, limit: number): StoredRow[] {
    return this.prepare<[string, number, number], StoredRow>('SELECT * FROM records WHERE uai = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(uai, seq, limit);
  }

  countLive(uai: string): Record<RecordType, number> & { seq: number } {
    const counts = { pupil: 0, guardian: 0, link: 0, account: 0, identityChange: 0, settings: 0, seq: 0 };
    const rows = this.prepare<[string], { type: RecordType; n: number }>(
        'SELECT type, count(*) AS n FROM records WHERE uai = ? AND deleted = 0 GROUP BY type',
      )
      .all(uai);
    for (const r of rows) counts[r.type] = r.n;
    counts.seq =
      this.prepare<[string], { s: number | null }>('SELECT max(seq) AS s FROM records WHERE uai = ?').get(uai)?.s ?? 0;
    return counts;
  }

  /** Drops tombstones last changed before `beforeDay`; cursors older than them expire. Returns how many went. */
  purgeTombstones(beforeDay: string): number {
    let purged = 0;
    for (const { uai } of this.prepare<[], { uai: string }>('SELECT uai FROM establishments').all()) {
      const top = this.prepare<[string, string], { s: number | null }>(
          'SELECT max(seq) AS s FROM records WHERE uai = ? AND deleted = 1 AND changed_on < ?',
        )
        .get(uai, beforeDay)?.s;
      if (!top) continue;
      purged += this.prepare<[string, string]>('DELETE FROM records WHERE uai = ? AND deleted = 1 AND changed_on < ?')
        .run(uai, beforeDay).changes;
      this.prepare<[number, string]>('UPDATE establishments SET feed_floor = max(feed_floor, ?) WHERE uai = ?').run(top, uai);
    }
    return purged;
  }

  // ------------------------------------------------------------ daily totals

  /** Records how many accounts of each kind the establishment has at the end of `day`. */
  recordDailyTotals(uai: string, day: string, totals: { pupils: number; guardians: number }): void {
    this.prepare(
      `INSERT INTO daily_totals (uai, day, pupils, guardians) VALUES (?, ?, ?, ?)
       ON CONFLICT (uai, day) DO UPDATE SET pupils = excluded.pupils, guardians = excluded.guardians`,
    ).run(uai, day, totals.pupils, totals.guardians);
  }

  /** The live accounts of each kind. */
  accountTotals(uai: string): { pupils: number; guardians: number } {
    const rows = this.prepare<[string], { kind: string; n: number }>(
      `SELECT json_extract(data, '$.personKind') AS kind, count(*) AS n FROM records
       WHERE uai = ? AND type = 'account' AND deleted = 0 GROUP BY kind`,
    ).all(uai);
    return { pupils: rows.find((r) => r.kind === 'pupil')?.n ?? 0, guardians: rows.find((r) => r.kind === 'guardian')?.n ?? 0 };
  }

  /** The recorded days of an establishment, oldest first. */
  dailyTotals(uai: string): Array<{ day: string; pupils: number; guardians: number }> {
    return this.prepare<[string], { day: string; pupils: number; guardians: number }>(
      'SELECT day, pupils, guardians FROM daily_totals WHERE uai = ? ORDER BY day',
    ).all(uai);
  }

  // ------------------------------------------------------------ establishments and operators

  insertEstablishment(e: Establishment): void {
    this.prepare('INSERT INTO establishments (uai, name, kind, is_private, city, academy) VALUES (?, ?, ?, ?, ?, ?)')
      .run(e.uai, e.name, e.kind, e.isPrivate ? 1 : 0, e.city, e.academy);
  }

  establishments(): Array<Establishment & { feedFloor: number }> {
    return this.prepare<[], { uai: string; name: string; kind: Establishment['kind']; is_private: number; city: string; academy: string; feed_floor: number }>(
        'SELECT * FROM establishments ORDER BY uai',
      )
      .all()
      .map((r) => ({
        uai: r.uai,
        name: r.name,
        kind: r.kind,
        isPrivate: r.is_private === 1,
        city: r.city,
        academy: r.academy,
        feedFloor: r.feed_floor,
      }));
  }

  feedFloor(uai: string): number | undefined {
    return this.prepare<[string], { f: number }>('SELECT feed_floor AS f FROM establishments WHERE uai = ?').get(uai)?.f;
  }

  insertOperator(o: DemoOperator): void {
    this.prepare('INSERT INTO operators (login, password, display_name, role, uais) VALUES (?, ?, ?, ?, ?)')
      .run(o.login, o.password, o.displayName, o.role, JSON.stringify(o.uais));
  }

  operators(): DemoOperator[] {
    return this.prepare<[], { login: string; password: string; display_name: string; role: Operator['role']; uais: string }>(
        'SELECT * FROM operators ORDER BY rowid',
      )
      .all()
      .map((r) => ({ login: r.login, password: r.password, displayName: r.display_name, role: r.role, uais: JSON.parse(r.uais) as string[] }));
  }

  // ------------------------------------------------------------ idempotency

  storedResponse(key: string): StoredResponse | undefined {
    return this.prepare<[string], StoredResponse>('SELECT fingerprint, status, body FROM idempotency WHERE key = ?')
      .get(key);
  }

  storeResponse(key: string, response: StoredResponse): void {
    this.prepare('INSERT INTO idempotency (key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(key, response.fingerprint, response.status, response.body, new Date().toISOString());
  }
}
