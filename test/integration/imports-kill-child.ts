/**
 * Child process of imports-kill.test.ts: applies an import preview of the data folder given on the command line, and
 * prints one line per chunk of school records written inside the application's transaction, waiting a little after
 * each, so that the parent can SIGKILL it in the middle of the transaction.
 *   tsx test/integration/imports-kill-child.ts <dataDir> <directoryUrl> <previewId>
 */
import { createCore } from '../../electron/core';
import type { JobInfo } from '../../shared/api/contract';

const [dataDir, directory, previewId] = process.argv.slice(2) as [string, string, string];
const core = createCore({ dataDir, directory, appVersion: '0.0.0-test', host: 'browser', access: 'open', sync: { log: () => undefined } });
const pause = new Int32Array(new SharedArrayBuffer(4));
core.events.subscribe((event, payload) => {
  const job = payload as JobInfo;
  // The application's own steps (not the reading of the files that comes first): inside its transaction.
  if (event !== 'job.progress' || job.kind !== 'import' || job.state !== 'running' || job.done === 0 || !job.label.startsWith('Application')) return;
  // Synchronous on a pipe: the line is out before the wait, and the wait is inside the transaction.
  process.stdout.write(`chunk ${job.done}\n`);
  Atomics.wait(pause, 0, 0, 200);
});
await core.dispatcher.call('imports.apply', { previewId }, { transport: 'internal' });
process.stdout.write('done\n');
await core.shutdown();
