/**
 * The write worker (a worker_threads entry; `writer-worker` in the main bundle, see electron.vite.config.ts): the
 * SQLite writes that take long — sync pages, the resync swap, the account projection's refresh — run here on a
 * connection of their own to the same WAL file, so the main thread's event loop never waits for them. Calls that
 * write are handled one at a time, in the order they were sent; calls that read a sync page go to the page reader
 * thread as they come, so the next page is read while this one is written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { projectionWrites } from '../accounts/projection';
import { openConnection } from '../db/database';
import { PageRoom, syncReads } from '../directory/sync-pages';
import { syncWrites } from '../directory/sync-writes';
import { PageReader } from './page-reader';
import type { FromWorker, SerializedError, ToWorker, WriterData, WriterHandlers, WriterReply, WriterRequest } from './protocol';

const port = parentPort;
if (!port) throw new Error('the write worker runs as a worker thread');
const { file } = workerData as WriterData;
// The main thread may hold the write lock for a while (a rollover, a big local change): wait for it rather than fail.
const db = openConnection(file, { busyTimeoutMs: 30_000 });

/** Breaths sent to the main thread and not yet returned (see `Breath` in protocol.ts). */
const breaths = new Map<number, () => void>();
let lastBreath = 0;
const breathe = (): Promise<void> =>
  new Promise((resolve) => {
    const breath = ++lastBreath;
    breaths.set(breath, resolve);
    port.postMessage({ breath } satisfies FromWorker);
  });

const room = new PageRoom();
const reader = new PageReader();
const reads = syncReads((kind, bytes) => reader.read(kind, bytes), room);
const handlers: WriterHandlers = { ...reads, ...syncWrites(db, room), ...projectionWrites(db, breathe) };

function serialize(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, stack: error.stack, code: typeof code === 'string' ? code : undefined };
}

async function handle(request: WriterRequest): Promise<WriterReply> {
  try {
    if (request.method === 'close') {
      await reader.close();
      if (db.open) db.close();
      return { id: request.id, ok: true, output: undefined };
    }
    const handler = handlers[request.method] as (input: unknown) => unknown;
    return { id: request.id, ok: true, output: await handler(request.input) };
  } catch (error) {
    return { id: request.id, ok: false, error: serialize(error) };
  }
}

let queue = Promise.resolve();
port.on('message', (message: ToWorker) => {
  if ('breath' in message) {
    breaths.get(message.breath)?.();
    breaths.delete(message.breath);
    return;
  }
  if (Object.hasOwn(reads, message.method)) {
    void handle(message).then((reply) => port.postMessage(reply satisfies FromWorker));
    return;
  }
  queue = queue.then(async () => {
    port.postMessage((await handle(message)) satisfies FromWorker);
    if (message.method === 'close') port.close();
  });
});
