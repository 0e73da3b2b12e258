/**
 * The write worker's side of the page reader (reader.ts): started on the first page, referenced only while a page is
 * being read (it never keeps the worker alive), stopped with the worker.
 */
import { Worker } from 'node:worker_threads';
import type { PageKind, PageReading } from '../directory/sync-pages';
import { workerEntry } from './entries';

export interface ReaderRequest {
  id: number;
  kind: PageKind;
  bytes: ArrayBuffer;
}

export type ReaderReply = { id: number; reading: PageReading } | { id: number; error: string };

export class PageReader {
  private worker: Worker | null = null;
  private last = 0;
  private readonly pending = new Map<number, { resolve: (reading: PageReading) => void; reject: (error: Error) => void }>();

  /** Reads a page; `bytes` is handed over (unusable here afterwards). */
  read(kind: PageKind, bytes: ArrayBuffer): Promise<PageReading> {
    const worker = this.start();
    const id = ++this.last;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, kind, bytes } satisfies ReaderRequest, [bytes]);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const entry = workerEntry('page-reader');
    const worker = new Worker(entry.file, { workerData: { source: entry.source } });
    worker.unref();
    worker.on('message', (reply: ReaderReply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if ('reading' in reply) pending.resolve(reply.reading);
      else pending.reject(new Error(`the page reader failed: ${reply.error}`));
      if (this.pending.size === 0) worker.unref();
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the page reader stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}
