import type { Database } from 'better-sqlite3';
import { resolve } from 'node:path';
import { AccountsService } from './accounts/service';
import { openDatabase } from './db/database';
import { checkDirectoryOption } from './directory/endpoint';
import { DirectoryService, type DirectoryServiceOptions } from './directory/service';
import { createDispatcher, type Authorizer, type Dispatcher, type Handlers } from './dispatcher';
import { EventBus } from './events';
import type { SessionOperator } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { encryptedFileTokenStore, fileKeySecretBox, type SecretBox } from './auth/token-store';
import { GovernanceService } from './governance/service';
import { ReviewService } from './review/service';
import type { SaveDialogHost } from './system/export-target';
import { systemHandlers } from './system/handlers';

export interface CoreOptions {
  dataDir: string;
  /** `demo` for the embedded demo directory, or the base URL of a Directory API v1 endpoint. */
  directory: string;
  appVersion: string;
  host: 'electron' | 'browser';
  authorize?: Authorizer;
  /** Tuning of the directory link (tests shrink delays and the demo academy; the defaults suit the app). */
  sync?: Omit<DirectoryServiceOptions, 'db' | 'events' | 'dataDir' | 'directory'>;
  /** Sign-in tuning (tests shorten the minimum delay of a refused sign-in; default 1 s). */
  auth?: { failureDelayMs?: number };
  /** How the session tokens are sealed at rest: Electron passes safeStorage; default, a 0600 key file. */
  secretBox?: SecretBox;
  /** The desktop shell's native save dialog (Electron only); the browser host has none. */
  saveDialog?: SaveDialogHost;
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
  const startedAt = new Date();
  const tokens = options.sync?.tokens ?? encryptedFileTokenStore(dataDir, options.secretBox ?? fileKeySecretBox(dataDir));
  // The session's offline operator comes from governance, built just below (read at each call, never during construction).
  const directory: DirectoryService = new DirectoryService({
    ...options.sync,
    db,
    events,
    dataDir,
    directory: options.directory,
    tokens,
    offlineOperator: (): SessionOperator | null => gov.auth.offlineOperator(),
  });
  const gov: GovernanceService = new GovernanceService({
    db,
    directory,
    directoryName: options.directory,
    tokens,
    failureDelayMs: options.auth?.failureDelayMs,
  });
  const accounts = new AccountsService({ db, events, directory });
  const review = new ReviewService({ db, events, kick: () => directory.kick() });
  directory.onRunFinished((uai) => review.ingestAfterRun(uai));

  const handlers: Handlers = {
    ...systemHandlers({
      db,
      appVersion: options.appVersion,
      host: options.host,
      dataDir,
      databaseFile: file,
      directory: options.directory,
      startedAt,
      saveDialog: options.saveDialog,
    }),
    ...directory.handlers(),
    // After the directory's: governance's auth.* wrap its sign-in with lockout, offline sign-in and the session lock.
    ...gov.handlers(),
    ...accounts.handlers(),
    ...review.handlers(),
  };

  const shutdown = async (): Promise<void> => {
    await directory.close();
    if (db.open) db.close();
  };

  return {
    dispatcher: createDispatcher(handlers, {
      authorize: options.authorize ?? gov.authorize,
      currentOperator: () => gov.auth.contextOperator(),
      recordAudit: gov.recordAudit,
    }),
    events,
    db,
    dataDir,
    directory,
    governance: gov,
    review,
    lockSession: () => {
      if (!gov.auth.contextOperator()) return;
      gov.auth.lock();
      events.emit('auth.changed', { reason: 'locked' });
    },
    close: () => {
      // Synchronous for the hosts' exit paths: a running sync stops at its next step (its committed pages stay).
      const stopped = directory.close();
      if (db.open) db.close();
      stopped.catch((error: unknown) => console.error('[core] directory shutdown failed:', error));
    },
    shutdown,
  };
}
