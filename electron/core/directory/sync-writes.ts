/**
 * The sync engine's writes, as the write worker runs them on its own connection (electron/core/writer/): each call is
 * one transaction. A page, its position (next page token or cursor) and its count in the run's history commit
 * together; the last page of a staged resync also swaps the snapshot in, in that same transaction.
 */
import type { Database } from 'better-sqlite3';
import type { Change, DirectoryRecord, RecordType } from '../../../shared/directory/wire';
import { Mirror, type MirrorWrite } from './mirror';
import { SyncStateStore, type RunMode, type SnapshotTarget, type SyncStateRow } from './sync-state';

/**
 * A page's mirror writes column by column, as they cross to the worker: five arrays of plain values copy between
 * threads several times faster than one object per record (and leave less garbage on both sides).
 */
export interface PageColumns {
  types: RecordType[];
  ids: string[];
  versions: number[];
  seqs: (number | null)[];
  /** Raw JSON of each record's `data`, as received; null for a tombstone. */
  data: (string | null)[];
}

function columns(n: number): PageColumns {
  return { types: new Array(n), ids: new Array(n), versions: new Array(n), seqs: new Array(n), data: new Array(n) };
}

/** A snapshot page's records as mirror writes. */
export function recordColumns(records: readonly DirectoryRecord[]): PageColumns {
  const c = columns(records.length);
  records.forEach((r, i) => {
    c.types[i] = r.type;
    c.ids[i] = r.id;
    c.versions[i] = r.version;
    c.seqs[i] = null;
    c.data[i] = JSON.stringify(r.data);
  });
  return c;
}

/** A change-feed page as mirror writes (a delete is a tombstone). */
export function changeColumns(changes: readonly Change[]): PageColumns {
  const c = columns(changes.length);
  changes.forEach((change, i) => {
    c.types[i] = change.type;
    c.ids[i] = change.id;
    c.versions[i] = change.version;
    c.seqs[i] = change.seq;
    c.data[i] = change.op === 'delete' ? null : JSON.stringify(change.data);
  });
  return c;
}

function writesOf(c: PageColumns): MirrorWrite[] {
  return c.ids.map((id, i) => ({ type: c.types[i]!, id, version: c.versions[i]!, seq: c.seqs[i]!, data: c.data[i]! }));
}

export interface SnapshotPageWrite {
  uai: string;
  runId: number;
  /** The run's cancel flag (shared memory): once set, a page still queued is dropped unwritten. */
  stop?: Int32Array;
  records: PageColumns;
  /** Null on the last page. */
  nextPage: string | null;
  /** The feed position the snapshot started at (the same on every page). */
  cursor: string;
}

export interface ChangesPageWrite {
  uai: string;
  runId: number;
  stop?: Int32Array;
  changes: PageColumns;
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

const cancelled = (stop: Int32Array | undefined): boolean => stop !== undefined && Atomics.load(stop, 0) !== 0;

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

    /** Returns whether the page was written (false: the run was cancelled before its turn). */
    'sync.snapshotPage': ({ uai, runId, records, nextPage, cursor, stop }: SnapshotPageWrite): boolean => {
      if (cancelled(stop)) return false;
      db.transaction(() => {
        const target = state.get(uai).snapshot_target;
        const writes = writesOf(records);
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

    'sync.changesPage': ({ uai, runId, changes, cursor, stop }: ChangesPageWrite): boolean => {
      if (cancelled(stop)) return false;
      db.transaction(() => {
        mirror.writeMany(uai, writesOf(changes));
        state.update(uai, { cursor });
        state.addToRun(runId, changes.ids.length, 1);
      })();
      return true;
    },

    'sync.endRun': ({ uai, runId, outcome, endedAt, error, notes, state: fields }: RunEnd): void =>
      db.transaction(() => {
        if (fields) state.update(uai, fields);
        state.endRun(runId, outcome, endedAt, error, notes);
      })(),
  };
}
