import type { Database } from 'better-sqlite3';
import type { SystemStatus } from '../../../shared/api/contract';
import { latestSchemaVersion, schemaVersion, tableCounts } from '../db/database';

export interface StatusSource {
  db: Database;
  appVersion: string;
  host: 'electron' | 'browser';
  dataDir: string;
  databaseFile: string;
  directory: string;
  startedAt: Date;
}

export function systemStatus(source: StatusSource): SystemStatus {
  return {
    appVersion: source.appVersion,
    host: source.host,
    dataDir: source.dataDir,
    databaseFile: source.databaseFile,
    schemaVersion: schemaVersion(source.db),
    latestSchemaVersion,
    directory: source.directory,
    startedAt: source.startedAt.toISOString(),
    nodeVersion: process.versions.node,
    sqliteVersion: source.db.prepare('SELECT sqlite_version()').pluck().get() as string,
    tables: tableCounts(source.db),
  };
}
