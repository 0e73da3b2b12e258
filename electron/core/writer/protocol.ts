/**
 * The write worker's typed message interface. The methods are the capabilities' own write functions (their handler
 * maps, intersected into one type); the main thread calls them by name with their input and gets their output.
 * Everything crosses the thread boundary by structured clone: plain data only.
 */
import type { projectionWrites } from '../accounts/projection';
import type { syncReads } from '../directory/sync-pages';
import type { syncWrites } from '../directory/sync-writes';

export type WriterHandlers = ReturnType<typeof syncReads> & ReturnType<typeof syncWrites> & ReturnType<typeof projectionWrites>;
export type WriterMethod = keyof WriterHandlers;
export type WriterInput<M extends WriterMethod> = Parameters<WriterHandlers[M]>[0];
export type WriterOutput<M extends WriterMethod> = Awaited<ReturnType<WriterHandlers[M]>>;

/** What the worker is started with. */
export interface WriterData {
  /** The database file (already migrated by the main thread). */
  file: string;
  /** Run from source: the module to load (writer/entries.ts). */
  source?: string;
}

/** `close` closes the worker's connection, then its port; the worker then exits. */
export type WriterRequest = { id: number; method: WriterMethod; input: unknown } | { id: number; method: 'close' };

export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  /** SQLite's error code (`SQLITE_BUSY`…) or the ApiError's code. */
  code?: string;
}

export type WriterReply = { id: number; ok: true; output: unknown } | { id: number; ok: false; error: SerializedError };

/**
 * Between two transactions of a long job, the worker sends `{breath}` and waits for the main thread to send it back.
 * A main thread blocked on the write lock (a synchronous write waiting in SQLite's busy handler) cannot answer until
 * it got the lock and finished: so it gets the lock at the first gap instead of racing the worker's next transaction.
 * An idle main thread answers within a turn of its event loop.
 */
export interface Breath {
  breath: number;
}

export type ToWorker = WriterRequest | Breath;
export type FromWorker = WriterReply | Breath;
