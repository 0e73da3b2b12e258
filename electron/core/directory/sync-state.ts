/** Persistent sync bookkeeping: per-establishment position (`sync_state`) and the history of runs (`sync_runs`). */
import type { Database } from 'better-sqlite3';
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

export class SyncStateStore {
  constructor(private readonly db: Database) {}

  get(uai: string): SyncStateRow {
    this.db.prepare('INSERT INTO sync_state (uai) VALUES (?) ON CONFLICT (uai) DO NOTHING').run(uai);
    return this.db.prepare('SELECT * FROM sync_state WHERE uai = ?').get(uai) as SyncStateRow;
  }

  all(): SyncStateRow[] {
    return this.db.prepare('SELECT * FROM sync_state ORDER BY uai').all() as SyncStateRow[];
  }

  update(uai: string, fields: Partial<Omit<SyncStateRow, 'uai'>>): void {
    const keys = Object.keys(fields);
    if (keys.length === 0) return;
    this.db
      .prepare(`UPDATE sync_state SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE uai = @uai`)
      .run({ ...fields, uai });
  }

  startRun(uai: string, mode: RunMode, startedAt: string): number {
    const id = Number(
      this.db.prepare('INSERT INTO sync_runs (uai, started_at, mode) VALUES (?, ?, ?)').run(uai, startedAt, mode)
        .lastInsertRowid,
    );
    this.db.prepare('DELETE FROM sync_runs WHERE id <= ?').run(id - HISTORY_KEPT);
    return id;
  }

  /** Counted in the page's own transaction, so the history never claims records that were rolled back. */
  addToRun(id: number, records: number, pages: number): void {
    this.db
      .prepare('UPDATE sync_runs SET records_applied = records_applied + ?, pages = pages + ? WHERE id = ?')
      .run(records, pages, id);
  }

  setRunMode(id: number, mode: RunMode): void {
    this.db.prepare('UPDATE sync_runs SET mode = ? WHERE id = ?').run(mode, id);
  }

  endRun(
    id: number,
    outcome: Exclude<RunOutcome, 'running'>,
    endedAt: string,
    error: { code: string; message: string } | null,
    notes: string | null,
  ): void {
    this.db
      .prepare(
        'UPDATE sync_runs SET outcome = ?, ended_at = ?, error_code = ?, error_message = ?, notes = ? WHERE id = ?',
      )
      .run(outcome, endedAt, error?.code ?? null, error?.message ?? null, notes, id);
  }

  run(id: number): SyncRunRow {
    return this.db.prepare('SELECT * FROM sync_runs WHERE id = ?').get(id) as SyncRunRow;
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
    this.db
      .prepare("UPDATE sync_runs SET outcome = 'interrupted', ended_at = ? WHERE outcome = 'running'")
      .run(endedAt);
  }
}
