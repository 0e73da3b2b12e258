/**
 * The page reader (a worker_threads entry; `page-reader` in the main bundle): the write worker hands it the bytes of
 * each sync page and gets back the page read (decoded, parsed, validated, as mirror writes), so that reading a page
 * and writing the one before go on side by side. No database here.
 */
import { parentPort } from 'node:worker_threads';
import { readPage, type PageKind } from '../directory/sync-pages';
import type { ReaderReply, ReaderRequest } from './page-reader';

const port = parentPort;
if (!port) throw new Error('the page reader runs as a worker thread');

port.on('message', ({ id, kind, bytes }: ReaderRequest) => {
  let reply: ReaderReply;
  try {
    reply = { id, reading: readPage(kind satisfies PageKind, bytes) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  port.postMessage(reply);
});
