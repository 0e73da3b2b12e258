/**
 * The sync engine's writes, as the write worker runs them on its own connection (electron/core/writer/): each call is
 * one transaction. A page, its position (next page token or cursor) and its count in the run's history commit
 * together; the last page of a staged resync also swaps the snapshot in, in that same transaction. The page itself
 * was read beforehand (sync-pages.ts) and waits in the room under its number.
 */
import type { Database } from 'better-sqlite3';
import { Mirror } from './mirror';
import type { PageRoom } from './sync-pages';
import { SyncStateStore, type RunMode, type SnapshotTarget, type SyncStateRow } from './sync-state';

export interface PageWrite {
  uai: string;
  runId: number;
  /** The page's number, from its reading. */
  page: number;
  /** The run's cancel flag (shared memory): once set, a page still queued is dropped unwritten. */
  stop?: Int32Array;
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

const cancelled = (stop: Int32Array | undefined): boolean => stop !== undefined && Atomics.load(stop, 0) !== 0;

export function syncWrites(db: Database, room: PageRoom) {
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

    /** Returns whether the page was written (false: the run was cancelled before its turn). */
    'sync.snapshotPage': ({ uai, runId, page, stop }: PageWrite): boolean => {
      const { writes, nextPage, cursor } = room.take(uai, page);
      if (cancelled(stop)) return false;
      db.transaction(() => {
        const target = state.get(uai).snapshot_target;
        if (target === 'staging') for (const write of writes) mirror.stage(uai, write);
        else mirror.writeMany(uai, writes);
        if (nextPage === null) {
          if (target === 'staging') mirror.swapFromStaging(uai);
          state.update(uai, { cursor, snapshot_next_page: null, snapshot_cursor: null, snapshot_target: null, snapshot_started_at: null });
        } else {
          state.update(uai, { snapshot_next_page: nextPage, snapshot_cursor: cursor });
        }
        state.addToRun(runId, writes.length, 1);
      })();
      return true;
    },

    'sync.changesPage': ({ uai, runId, page, stop }: PageWrite): boolean => {
      const { writes, cursor } = room.take(uai, page);
      if (cancelled(stop)) return false;
      db.transaction(() => {
        mirror.writeMany(uai, writes);
        state.update(uai, { cursor });
        state.addToRun(runId, writes.length, 1);
      })();
      return true;
    },

    'sync.endRun': ({ uai, runId, outcome, endedAt, error, notes, state: fields }: RunEnd): void => {
      // Pages read ahead and never written (the run failed or was cancelled) are dropped.
      room.drop(uai);
      db.transaction(() => {
        if (fields) state.update(uai, fields);
        state.endRun(runId, outcome, endedAt, error, notes);
      })();
    },
  };
}
