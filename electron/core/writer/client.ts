/**
 * The main thread's side of the write worker (worker.ts): starts it on first use, sends it typed calls, and turns
 * its answers back into values or errors. The worker is referenced only while a call is pending, so an idle one never
 * keeps a process alive; if it dies, pending calls fail and the next call starts a new one.
 */
import { Worker } from 'node:worker_threads';
import { workerEntry, type WorkerEntry } from './entries';
import type { FromWorker, SerializedError, ToWorker, WriterData, WriterInput, WriterMethod, WriterOutput, WriterReply } from './protocol';

/** A failure inside the worker, with its name, code (`SQLITE_BUSY`…) and stack. */
export class WriterError extends Error {
  readonly code: string | undefined;

  constructor(method: string, error: SerializedError) {
    super(error.message);
    this.name = error.name;
    this.code = error.code;
    this.stack = `${error.stack ?? `${error.name}: ${error.message}`}\n    (in the write worker, ${method})`;
  }
}

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class DatabaseWriter {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly file: string,
    /** The worker's code: by default as this module runs (from source or bundled); a test may name a built one. */
    private readonly entry: WorkerEntry = workerEntry('writer-worker'),
  ) {}

  /** Closed: calls are refused (the core is shutting down). */
  get closed(): boolean {
    return this.closing !== null;
  }

  /** `transfer`: buffers of `input` handed over to the worker rather than copied (they are unusable here afterwards). */
  call<M extends WriterMethod>(method: M, input: WriterInput<M>, transfer: ArrayBuffer[] = []): Promise<WriterOutput<M>> {
    if (this.closing) return Promise.reject(new Error(`the write worker is closed (${method})`));
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<WriterOutput<M>>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ id, method, input } satisfies ToWorker, transfer);
    });
  }

  /** Lets the calls already sent finish, closes the worker's connection and waits for the worker to exit. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const worker = this.worker;
      if (!worker) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      const id = this.nextId++;
      this.pending.set(id, { method: 'close', resolve: () => undefined, reject: () => undefined });
      worker.ref();
      worker.postMessage({ id, method: 'close' } satisfies ToWorker);
      await exited;
    })();
    return this.closing;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.entry.file, { workerData: { file: this.file, source: this.entry.source } satisfies WriterData });
    worker.unref();
    worker.on('message', (message: FromWorker) => {
      // Sent straight back: this runs only once the event loop is free (see `Breath`).
      if ('breath' in message) worker.postMessage(message satisfies ToWorker);
      else this.settle(message);
    });
    worker.on('error', (error) => this.fail(worker, error));
    worker.on('exit', (code) => this.fail(worker, new Error(`the write worker stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }

  private settle(reply: WriterReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve(reply.output);
    else pending.reject(new WriterError(pending.method, reply.error));
    // Idle, it must not keep the process alive; closing, it must until it has exited.
    if (this.pending.size === 0 && !this.closing) this.worker?.unref();
  }

  /** The worker died (or exited after close): what it had not answered fails; the next call starts a new one. */
  private fail(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
