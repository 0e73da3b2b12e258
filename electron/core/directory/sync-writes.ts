/**
 * The sync engine's writes, as the write worker runs them on its own connection (electron/core/writer/): each call is
 * one transaction. A page, its position (next page token or cursor) and its count in the run's history commit
 * together; the last page of a staged resync also swaps the snapshot in, in that same transaction.
 */
import type { Database } from 'better-sqlite3';
import { Mirror, type MirrorWrite } from './mirror';
import { SyncStateStore, type RunMode, type SnapshotTarget, type SyncStateRow } from './sync-state';

export interface SnapshotPageWrite {
  uai: string;
  runId: number;
  records: MirrorWrite[];
  /** Null on the last page. */
  nextPage: string | null;
  /** The feed position the snapshot started at (the same on every page). */
  cursor: string;
}

export interface ChangesPageWrite {
  uai: string;
  runId: number;
  changes: MirrorWrite[];
  /** The position after this page. */
  cursor: string;
}

export interface RunEnd {
  uai: string;
  runId: number;
  outcome: 'success' | 'error' | 'interrupted';
  endedAt: string;
  error: { code: string; message: string } | null;
  notes: string | null;
  /** Fields of the establishment's sync state to set with it (last success or last error, totals). */
  state?: Partial<Omit<SyncStateRow, 'uai'>>;
}

export function syncWrites(db: Database) {
  const mirror = new Mirror(db);
  const state = new SyncStateStore(db);

  /** The next snapshot of `uai` starts from its first page, into `target`; staging is emptied. */
  const restart = (uai: string, target: SnapshotTarget, startedAt: string): void => {
    mirror.clearStaging(uai);
    state.update(uai, {
      cursor: null,
      snapshot_next_page: null,
      snapshot_cursor: null,
      snapshot_target: target,
      snapshot_started_at: startedAt,
    });
  };

  return {
    'sync.startRun': ({ uai, mode, startedAt }: { uai: string; mode: RunMode; startedAt: string }): number =>
      db.transaction(() => state.startRun(uai, mode, startedAt))(),

    /** Starts the snapshot over (into staging after an expiry or a mismatch); with `runId`, the run becomes a resync. */
    'sync.restartSnapshot': ({ uai, target, startedAt, runId }: { uai: string; target: SnapshotTarget; startedAt: string; runId?: number }): void =>
      db.transaction(() => {
        restart(uai, target, startedAt);
        if (runId !== undefined) state.setRunMode(runId, 'resync');
      })(),

    /**
     * Where the snapshot about to be read goes: the one in progress keeps its target; a new one writes straight into
     * the live tables of an establishment that has no rows yet (nothing to hide from the UI, no big swap), else to
     * staging.
     */
    'sync.beginSnapshot': ({ uai, startedAt }: { uai: string; startedAt: string }): SnapshotTarget =>
      db.transaction(() => {
        const current = state.get(uai).snapshot_target;
        if (current !== null) return current;
        const target: SnapshotTarget = mirror.hasLiveRows(uai) ? 'staging' : 'live';
        restart(uai, target, startedAt);
        return target;
      })(),

    'sync.snapshotPage': ({ uai, runId, records, nextPage, cursor }: SnapshotPageWrite): void =>
      db.transaction(() => {
        const target = state.get(uai).snapshot_target;
        if (target === 'staging') for (const record of records) mirror.stage(uai, record);
        else mirror.writeMany(uai, records);
        if (nextPage === null) {
          if (target === 'staging') mirror.swapFromStaging(uai);
          state.update(uai, { cursor, snapshot_next_page: null, snapshot_cursor: null, snapshot_target: null, snapshot_started_at: null });
        } else {
          state.update(uai, { snapshot_next_page: nextPage, snapshot_cursor: cursor });
        }
        state.addToRun(runId, records.length, 1);
      })(),

    'sync.changesPage': ({ uai, runId, changes, cursor }: ChangesPageWrite): void =>
      db.transaction(() => {
        mirror.writeMany(uai, changes);
        state.update(uai, { cursor });
        state.addToRun(runId, changes.length, 1);
      })(),

    'sync.endRun': ({ uai, runId, outcome, endedAt, error, notes, state: fields }: RunEnd): void =>
      db.transaction(() => {
        if (fields) state.update(uai, fields);
        state.endRun(runId, outcome, endedAt, error, notes);
      })(),
  };
}
