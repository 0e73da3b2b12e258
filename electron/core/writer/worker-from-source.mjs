// The write worker run from source (tsx in dev and in the browser host, vitest in tests): Node 20 does not pass the
// parent's --import hooks on to worker threads, so tsx is registered in this thread before worker.ts is loaded.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
