import type { Database } from 'better-sqlite3';
import { resolve } from 'node:path';
import { openDatabase } from './db/database';
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
}

export interface Core {
  dispatcher: Dispatcher;
  events: EventBus;
  db: Database;
  dataDir: string;
  close(): void;
}

/** Builds the whole back end for one data folder; both hosts create exactly one of these. */
export function createCore(options: CoreOptions): Core {
  const dataDir = resolve(options.dataDir);
  const { db, file } = openDatabase(dataDir);
  const events = new EventBus();
  const startedAt = new Date();

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
  };

  return {
    dispatcher: createDispatcher(handlers, options.authorize),
    events,
    db,
    dataDir,
    close: () => {
      if (db.open) db.close();
    },
  };
}
