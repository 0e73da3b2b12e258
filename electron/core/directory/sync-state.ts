/** Persistent sync bookkeeping: per-establishment position (`sync_state`) and the history of runs (`sync_runs`). */
import type { Database, Statement } from 'better-sqlite3';
import type { MirrorCounts } from './mirror';

export type SnapshotTarget = 'live' | 'staging';
export type RunMode = 'delta' | 'snapshot' | 'resync';
export type RunOutcome = 'running' | 'success' | 'error' | 'interrupted';

export interface SyncStateRow {
  uai: string;
  cursor: string | null;
  snapshot_next_page: string | null;
  snapshot_cursor: string | null;
  snapshot_target: SnapshotTarget | null;
  snapshot_started_at: string | null;
  last_success_at: string | null;
  last_error_code: string | null;
  last_error_message: string | null;
  totals: string | null;
}

export interface TotalsCheck {
  local: MirrorCounts;
  directory: MirrorCounts | null;
  match: boolean | null;
  checkedAt: string;
}

export interface SyncRunRow {
  id: number;
  uai: string;
  started_at: string;
  ended_at: string | null;
  outcome: RunOutcome;
  mode: RunMode;
  records_applied: number;
  pages: number;
  error_code: string | null;
  error_message: string | null;
  notes: string | null;
}

const HISTORY_KEPT = 200;

const EMPTY_STATE: Omit<SyncStateRow, 'uai'> = {
  cursor: null,
  snapshot_next_page: null,
  snapshot_cursor: null,
  snapshot_target: null,
  snapshot_started_at: null,
  last_success_at: null,
  last_error_code: null,
  last_error_message: null,
  totals: null,
};

/**
 * The main thread reads it; the write worker (`sync-writes.ts`) writes it, each write inside the transaction of the
 * page it belongs to. Statements are prepared once per connection.
 */
export class SyncStateStore {
  private readonly updates = new Map<string, Statement>();
  private readonly stmt;

  constructor(private readonly db: Database) {
    this.stmt = {
      get: db.prepare('SELECT * FROM sync_state WHERE uai = ?'),
      all: db.prepare('SELECT * FROM sync_state ORDER BY uai'),
      startRun: db.prepare('INSERT INTO sync_runs (uai, started_at, mode) VALUES (?, ?, ?)'),
      trimRuns: db.prepare('DELETE FROM sync_runs WHERE id <= ?'),
      addToRun: db.prepare('UPDATE sync_runs SET records_applied = records_applied + ?, pages = pages + ? WHERE id = ?'),
      setRunMode: db.prepare('UPDATE sync_runs SET mode = ? WHERE id = ?'),
      endRun: db.prepare('UPDATE sync_runs SET outcome = ?, ended_at = ?, error_code = ?, error_message = ?, notes = ? WHERE id = ?'),
      run: db.prepare('SELECT * FROM sync_runs WHERE id = ?'),
      markInterrupted: db.prepare("UPDATE sync_runs SET outcome = 'interrupted', ended_at = ? WHERE outcome = 'running'"),
    };
  }

  /** The establishment's position; an establishment never synced has the empty one. */
  get(uai: string): SyncStateRow {
    return (this.stmt.get.get(uai) as SyncStateRow | undefined) ?? { uai, ...EMPTY_STATE };
  }

  all(): SyncStateRow[] {
    return this.stmt.all.all() as SyncStateRow[];
  }

  /** Sets these fields (creating the establishment's row when it has none). */
  update(uai: string, fields: Partial<Omit<SyncStateRow, 'uai'>>): void {
    const keys = Object.keys(fields).sort();
    if (keys.length === 0) return;
    const signature = keys.join(',');
    let stmt = this.updates.get(signature);
    if (!stmt) {
      stmt = this.db.prepare(
        `INSERT INTO sync_state (uai, ${keys.join(', ')}) VALUES (@uai, ${keys.map((k) => `@${k}`).join(', ')})
         ON CONFLICT (uai) DO UPDATE SET ${keys.map((k) => `${k} = excluded.${k}`).join(', ')}`,
      );
      this.updates.set(signature, stmt);
    }
    stmt.run({ ...fields, uai });
  }

  startRun(uai: string, mode: RunMode, startedAt: string): number {
    const id = Number(this.stmt.startRun.run(uai, startedAt, mode).lastInsertRowid);
    this.stmt.trimRuns.run(id - HISTORY_KEPT);
    return id;
  }

  /** Counted in the page's own transaction, so the history never claims records that were rolled back. */
  addToRun(id: number, records: number, pages: number): void {
    this.stmt.addToRun.run(records, pages, id);
  }

  setRunMode(id: number, mode: RunMode): void {
    this.stmt.setRunMode.run(mode, id);
  }

  endRun(
    id: number,
    outcome: Exclude<RunOutcome, 'running'>,
    endedAt: string,
    error: { code: string; message: string } | null,
    notes: string | null,
  ): void {
    this.stmt.endRun.run(outcome, endedAt, error?.code ?? null, error?.message ?? null, notes, id);
  }

  run(id: number): SyncRunRow {
    return this.stmt.run.get(id) as SyncRunRow;
  }

  /** The latest runs of these establishments, newest first. */
  history(limit: number, uais: readonly string[]): SyncRunRow[] {
    if (uais.length === 0) return [];
    return this.db
      .prepare(`SELECT * FROM sync_runs WHERE uai IN (${uais.map(() => '?').join(', ')}) ORDER BY id DESC LIMIT ?`)
      .all(...uais, limit) as SyncRunRow[];
  }

  /** Runs cut short by a crash or a kill: marked interrupted at start-up, they resume from the saved position. */
  markInterrupted(endedAt: string): void {
    this.stmt.markInterrupted.run(endedAt);
  }
}
