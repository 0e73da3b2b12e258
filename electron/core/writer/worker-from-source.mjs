// A worker thread of ours run from source (tsx in dev and in the browser host, vitest in tests): Node 20 does not pass
// the parent's --import hooks on to worker threads, so tsx is registered in this thread before the module is loaded.
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(pathToFileURL(workerData.source).href);
