import type { Database } from 'better-sqlite3';
import * as m001 from './001-initial';
import * as m002 from './002-directory-mirror';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** Every schema version, in order. A migration is never edited once released: add the next one instead. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial', up: m001.up },
  { version: 2, name: 'directory-mirror', up: m002.up },
];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
