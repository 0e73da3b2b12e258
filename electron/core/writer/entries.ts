/**
 * Where our worker threads' code is. Bundled by electron-vite (electron.vite.config.ts), each is an entry of the main
 * bundle in out/main (this module itself is in out/main or out/main/chunks): `writer-worker.js`, `page-reader.js`; in
 * the packaged app they are inside app.asar, which worker threads read since Electron 17.3. Run from source (tsx in dev
 * and in the browser host, vitest in tests) this module is a .ts file: the thread runs worker-from-source.mjs, which
 * registers tsx in that thread (Node 20 does not pass the parent's --import hooks to workers) and loads the .ts module.
 */
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type WorkerName = 'writer-worker' | 'page-reader';

const SOURCES: Record<WorkerName, string> = { 'writer-worker': 'worker.ts', 'page-reader': 'reader.ts' };

/** `file` for `new Worker`, and with it in `workerData.source` the module to load when run from source. */
export interface WorkerEntry {
  file: string;
  source?: string;
}

export function workerEntry(name: WorkerName): WorkerEntry {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) return { file: join(dir, 'worker-from-source.mjs'), source: join(dir, SOURCES[name]) };
  return { file: join(basename(dir) === 'chunks' ? dirname(dir) : dir, `${name}.js`) };
}
