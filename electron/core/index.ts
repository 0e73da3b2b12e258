import type { Database } from 'better-sqlite3';
import { resolve } from 'node:path';
import { AccountsService } from './accounts/service';
import { openDatabase } from './db/database';
import { checkDirectoryOption } from './directory/endpoint';
import { DirectoryService, type DirectoryServiceOptions } from './directory/service';
import { createDispatcher, mergeHandlers, type Access, type CallContext, type Dispatcher, type Handlers, type ScopeResolver } from './dispatcher';
import { EventBus } from './events';
import type { SessionOperator } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { encryptedFileTokenStore, fileKeySecretBox, memoryOnlyTokenStore, type SecretBox } from './auth/token-store';
import { GovernanceService } from './governance/service';
import { ImportsService } from './imports/service';
import { JobRegistry } from './jobs';
import { LettersService } from './letters/service';
import { ReviewService } from './review/service';
import { StatsService } from './stats/service';
import type { SaveDialogHost } from './system/export-target';
import { systemHandlers } from './system/handlers';
import { FILE_WRITING_METHODS, WrittenFiles, type DesktopFilesHost } from './system/open-files';

export interface CoreOptions {
  dataDir: string;
  /** `demo` for the embedded demo directory, or the base URL of a Directory API v1 endpoint. */
  directory: string;
  appVersion: string;
  host: 'electron' | 'browser';
  /** `open`: no rights checked (tests of a capability without signing in); default, the governance rules. */
  access?: 'open';
  /** Tuning of the directory link (tests shrink delays and the demo academy; the defaults suit the app). */
  sync?: Omit<DirectoryServiceOptions, 'db' | 'events' | 'dataDir' | 'directory'>;
  /**
   * Session tuning, for tests: the minimum delay of a refused sign-in (default 1 s), the clock of sign-in, lockout,
   * offline expiry and inactivity, and how often the core looks for an idle session (default 5 s).
   */
  auth?: { failureDelayMs?: number; now?: () => Date; idleCheckMs?: number };
  /**
   * How the session tokens are sealed at rest: Electron passes safeStorage; default, a 0600 key file. `null`: they
   * cannot be sealed safely here, so they are not kept at rest at all (the session ends with the app).
   */
  secretBox?: SecretBox | null;
  /** The desktop shell's native save dialog (Electron only); the browser host has none. */
  saveDialog?: SaveDialogHost;
  /** The desktop shell's open dialog and system viewer (Electron only). */
  desktopFiles?: DesktopFilesHost;
  /** The fonts the letters embed (the packaged desktop app's resources folder); default: the project's resources/fonts. */
  fontsDir?: string;
  /** Letters per PDF file (500 by default; tests lower it). */
  lettersPerFile?: number;
}

export interface Core {
  dispatcher: Dispatcher;
  events: EventBus;
  db: Database;
  dataDir: string;
  directory: DirectoryService;
  /** Session, authorizer, audit trail, delegations, settings, rollover. */
  governance: GovernanceService;
  /** The identity-change review queue (ingests after each sync run). */
  review: ReviewService;
  /** Activation statistics (snapshots after each sync run). */
  stats: StatsService;
  /** Imports of the school base (SIECLE, ONDE, CSV). */
  imports: ImportsService;
  /** Every long task: progress, cancel. */
  jobs: JobRegistry;
  /** Files the app wrote since it started (exports, letters): system.openFile may open them. */
  writtenFiles: WrittenFiles;
  /** Locks the session from outside the renderer (OS lock, suspend); a no-op when nobody is signed in. */
  lockSession(): void;
  /** Stops timers and the embedded demo directory and closes the database; in-flight work resumes next start. */
  close(): void;
  /** close(), awaiting the end of running syncs and of the demo directory. */
  shutdown(): Promise<void>;
}

/** Builds the whole back end for one data folder; both hosts create exactly one of these. */
export function createCore(options: CoreOptions): Core {
  // Refused before anything is opened: plain HTTP to a remote directory would carry passwords and minors' data in clear.
  const address = checkDirectoryOption(options.directory);
  if (!address.ok) throw new ApiError('INVALID_INPUT', address.message, { directory: options.directory });
  const dataDir = resolve(options.dataDir);
  const { db, file } = openDatabase(dataDir);
  const events = new EventBus();
  const jobs = new JobRegistry(events);
  const startedAt = new Date();
  const tokens =
    options.sync?.tokens ??
    (options.secretBox === null ? memoryOnlyTokenStore(dataDir) : encryptedFileTokenStore(dataDir, options.secretBox ?? fileKeySecretBox(dataDir)));
  // The session's offline operator comes from governance, built just below (read at each call, never during construction).
  const directory: DirectoryService = new DirectoryService({
    ...options.sync,
    db,
    events,
    dataDir,
    directory: options.directory,
    tokens,
    offlineOperator: (): SessionOperator | null => gov.auth.offlineOperator(),
    jobs,
  });
  const gov: GovernanceService = new GovernanceService({
    db,
    directory,
    directoryName: options.directory,
    tokens,
    failureDelayMs: options.auth?.failureDelayMs,
    idleCheckMs: options.auth?.idleCheckMs,
    now: options.auth?.now,
  });
  gov.auth.onIdleLock(() => events.emit('auth.changed', { reason: 'locked' }));
  const accounts = new AccountsService({ db, events, directory, jobs });
  const review = new ReviewService({ db, events, kick: () => directory.kick(), jobs });
  const letters = new LettersService({
    db,
    jobs,
    accounts,
    fontsDir: options.fontsDir,
    documentsDir: options.saveDialog?.documentsDir,
    lettersPerFile: options.lettersPerFile,
  });
  directory.onRunFinished((uai) => review.ingestAfterRun(uai));
  const stats = new StatsService({ db, events, jobs, client: () => directory.ensureClient(), fresh: (uai) => accounts.fresh(uai) });
  directory.onRunFinished((uai, summary) => stats.afterRun(uai, summary.outcome));
  const imports = new ImportsService({ db, events, jobs });
  const writtenFiles = new WrittenFiles();

  const handlers = mergeHandlers(
    systemHandlers({
      db,
      appVersion: options.appVersion,
      host: options.host,
      dataDir,
      databaseFile: file,
      directory: options.directory,
      startedAt,
      saveDialog: options.saveDialog,
      desktopFiles: options.desktopFiles,
      writtenFiles,
    }),
    directory.handlers(),
    gov.handlers(),
    accounts.handlers(),
    review.handlers(),
    letters.handlers(),
    stats.handlers(),
    imports.handlers(),
    {
      'jobs.list': (_input, ctx) => jobs.list(ctx.uais),
      'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    },
  );
  rememberWrittenFiles(handlers, writtenFiles);
  /** The establishment of each record a method names, for the dispatcher's check. */
  const byId = (table: 'review_items' | 'outbox'): ScopeResolver => {
    const get = db.prepare(`SELECT uai FROM ${table} WHERE id = ?`).pluck();
    return (ids) =>
      new Map(ids.flatMap((id) => {
        const uai = get.get(id) as string | undefined;
        return uai === undefined ? [] : [[id, uai] as const];
      }));
  };
  const access: Access | undefined = options.access === 'open' ? undefined : gov.access;

  const shutdown = async (): Promise<void> => {
    jobs.cancelAll();
    gov.auth.close();
    await directory.close();
    await stats.settled();
    if (db.open) db.close();
  };

  return {
    dispatcher: createDispatcher(handlers, {
      access,
      resolvers: {
        reviewItem: byId('review_items'),
        outboxItem: byId('outbox'),
        delegation: gov.delegationUais,
        job: jobs.resolve,
        importPreview: imports.resolve,
      },
      currentOperator: () => gov.auth.contextOperator(),
      recordAudit: gov.recordAudit,
    }),
    events,
    db,
    dataDir,
    directory,
    governance: gov,
    review,
    stats,
    imports,
    jobs,
    writtenFiles,
    lockSession: () => {
      if (!gov.auth.contextOperator()) return;
      gov.auth.lock();
      events.emit('auth.changed', { reason: 'locked' });
    },
    close: () => {
      // Synchronous for the hosts' exit paths: a running sync stops at its next step (its committed pages stay).
      gov.auth.close();
      const stopped = directory.close();
      if (db.open) db.close();
      stopped.catch((error: unknown) => console.error('[core] directory shutdown failed:', error));
    },
    shutdown,
  };
}

/** Wraps the handlers that write files so that the files they wrote may then be opened (system.openFile). */
function rememberWrittenFiles(handlers: Handlers, written: WrittenFiles): void {
  type Written = { path: string } | { files: string[] };
  type FileWriter = (input: unknown, ctx: CallContext) => Promise<Written> | Written;
  const writers = handlers as unknown as Record<(typeof FILE_WRITING_METHODS)[number], FileWriter>;
  for (const name of FILE_WRITING_METHODS) {
    const write = writers[name];
    writers[name] = async (input, ctx) => {
      const result = await write(input, ctx);
      for (const path of 'files' in result ? result.files : [result.path]) written.remember(path);
      return result;
    };
  }
}
