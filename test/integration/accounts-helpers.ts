/**
 * Shared by the accounts tests: a real demo directory on 127.0.0.1, a real core database in a temp folder with the
 * accounts migration, the directory and accounts services behind the real dispatcher, and a first sync.
 */
import type { Database } from 'better-sqlite3';
import { AccountsService } from '../../electron/core/accounts/service';
import { openDatabase } from '../../electron/core/db/database';
import { migrations, type Migration } from '../../electron/core/db/migrations';
import * as m003 from '../../electron/core/db/migrations/003-governance';
import * as m004 from '../../electron/core/db/migrations/004-accounts';
import { DirectoryService } from '../../electron/core/directory/service';
import { createDispatcher, type AuditEvent, type Dispatcher, type Handlers } from '../../electron/core/dispatcher';
import { EventBus } from '../../electron/core/events';
import { JobRegistry } from '../../electron/core/jobs';
import type { DemoDirectory } from '../../electron/demo-directory/server';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator, startDirectory } from './sync-helpers';

/**
 * The registered migrations plus the accounts one (and the governance one before it) while they are not registered
 * yet: versions must follow each other without gaps.
 */
export function accountsMigrations(): Migration[] {
  const list = [...migrations];
  if (!list.some((m) => m.version === 3)) list.push({ version: 3, name: 'governance', up: m003.up });
  if (!list.some((m) => m.version === 4)) list.push({ version: 4, name: 'accounts', up: m004.up });
  return list.sort((a, b) => a.version - b.version).filter((m, i, all) => i === 0 || m.version === all[i - 1]!.version + 1);
}

export interface AccountsEnv {
  directory: DemoDirectory;
  db: Database;
  events: EventBus;
  service: DirectoryService;
  accounts: AccountsService;
  dispatcher: Dispatcher;
  audits: AuditEvent[];
  dataDir: string;
  uais: string[];
  call<T = unknown>(method: string, input: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function openAccountsEnv(options: { pupils?: number; establishments?: number; seed?: number } = {}): Promise<AccountsEnv> {
  const directory = await startDirectory({ pupils: options.pupils ?? 200, establishments: options.establishments ?? 2, seed: options.seed ?? 7 });
  const dir = tempDir('ecd-accounts-');
  const { db } = openDatabase(dir.path, accountsMigrations());
  const events = new EventBus();
  const service = new DirectoryService({
    db,
    events,
    dataDir: dir.path,
    directory: directory.url,
    retry: FAST_RETRY,
    pageLimit: 500,
    timeoutMs: 5000,
    probeMs: 100,
    log: () => undefined,
  });
  const jobs = new JobRegistry(events);
  const accounts = new AccountsService({ db, events, directory: service, bulkChunk: 5, jobs });
  const audits: AuditEvent[] = [];
  const jobHandlers: Pick<Handlers, 'jobs.cancel'> = { 'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }) };
  // No access rules here (tests of the accounts capability alone; the rights are tested through the whole core).
  const dispatcher = createDispatcher({ ...service.handlers(), ...accounts.handlers(), ...jobHandlers } as Handlers, {
    resolvers: { job: jobs.resolve },
    currentOperator: () => service.operator,
    recordAudit: (event) => audits.push(event),
  });
  const op = operator(directory, 'multi.demo');
  const call = <T>(method: string, input: unknown) => dispatcher.invoke(method, input, { transport: 'internal' }) as Promise<T>;
  await service.signIn(op.login, op.password);
  // The sign-in starts the scheduler; tests drive the runs themselves.
  service.scheduler.stop();
  await call('sync.run', {});
  return {
    directory,
    db,
    events,
    service,
    accounts,
    dispatcher,
    audits,
    dataDir: dir.path,
    uais: op.uais,
    call,
    close: async () => {
      await service.close();
      if (db.open) db.close();
      await directory.close();
      dir.remove();
    },
  };
}
