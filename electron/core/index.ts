import type { Database } from 'better-sqlite3';
import { resolve } from 'node:path';
import { openDatabase } from './db/database';
import { DirectoryService, type DirectoryServiceOptions } from './directory/service';
import { createDispatcher, type Authorizer, type Dispatcher, type Handlers } from './dispatcher';
import { EventBus } from './events';
import { systemStatus } from './system/status';

export interface CoreOptions {
  dataDir: string;
  /** `demo` for the embedded demo directory, or the base URL of a Directory API v1 endpoint. */
  directory: string;
  appVersion: string;
  host: 'electron' | 'browser';
  authorize?: Authorizer;
  /** Tuning of the directory link (tests shrink delays and the demo academy; the defaults suit the app). */
  sync?: Omit<DirectoryServiceOptions, 'db' | 'events' | 'dataDir' | 'directory'>;
}

export interface Core {
  dispatcher: Dispatcher;
  events: EventBus;
  db: Database;
  dataDir: string;
  directory: DirectoryService;
  /** Stops timers and the embedded demo directory and closes the database; in-flight work resumes next start. */
  close(): void;
  /** close(), awaiting the end of running syncs and of the demo directory. */
  shutdown(): Promise<void>;
}

/** Builds the whole back end for one data folder; both hosts create exactly one of these. */
export function createCore(options: CoreOptions): Core {
  const dataDir = resolve(options.dataDir);
  const { db, file } = openDatabase(dataDir);
  const events = new EventBus();
  const startedAt = new Date();
  const directory = new DirectoryService({ ...options.sync, db, events, dataDir, directory: options.directory });

  const handlers: Handlers = {
    'system.status': () =>
      systemStatus({
        db,
        appVersion: options.appVersion,
        host: options.host,
        dataDir,
        databaseFile: file,
        directory: options.directory,
        startedAt,
      }),
    ...directory.handlers(),
  };

  const shutdown = async (): Promise<void> => {
    await directory.close();
    if (db.open) db.close();
  };

  return {
    dispatcher: createDispatcher(handlers, {
      authorize: options.authorize,
      currentOperator: () => directory.operator,
    }),
    events,
    db,
    dataDir,
    directory,
    close: () => {
      // Synchronous for the hosts' exit paths: a running sync stops at its next step (its committed pages stay).
      const stopped = directory.close();
      if (db.open) db.close();
      stopped.catch((error: unknown) => console.error('[core] directory shutdown failed:', error));
    },
    shutdown,
  };
}
