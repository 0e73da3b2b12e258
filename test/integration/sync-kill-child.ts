/**
 * Child process of sync-kill.test.ts: syncs one establishment from the directory given on the command line and
 * prints one line per committed page, so the parent can SIGKILL it in the middle of the snapshot.
 *   tsx test/integration/sync-kill-child.ts <dataDir> <url> <login> <password> <uai>
 */
import { openDatabase } from '../../electron/core/db/database';
import { DirectoryService } from '../../electron/core/directory/service';
import { EventBus } from '../../electron/core/events';
import { JobRegistry } from '../../electron/core/jobs';

const [dataDir, url, login, password, uai] = process.argv.slice(2) as [string, string, string, string, string];
const { db } = openDatabase(dataDir);
const events = new EventBus();
events.subscribe((event, payload) => {
  if (event === 'job.progress') process.stdout.write(`page ${(payload as { done: number }).done}\n`);
});
const service = new DirectoryService({
  db,
  events,
  dataDir,
  directory: url,
  pageLimit: 20,
  retry: { attempts: 5, baseMs: 5, maxMs: 50, retryAfterCapMs: 100 },
  log: () => undefined,
  jobs: new JobRegistry(events),
});
await service.ensureClient().then((client) => client.signIn(login, password));
await service.engine.run(uai);
process.stdout.write('done\n');
