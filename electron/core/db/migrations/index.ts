import type { Database } from 'better-sqlite3';
import * as m001 from './001-initial';
import * as m002 from './002-directory-mirror';
import * as m003 from './003-governance';
import * as m004 from './004-accounts';
import * as m005 from './005-review';
import * as m006 from './006-accounts-speed';
import * as m007 from './007-mirror-marks';
import * as m008 from './008-audit-chains';
import * as m009 from './009-letters';
import * as m010 from './010-statistics';
import * as m011 from './011-imports';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

/** Every schema version, in order. A migration is never edited once released: add the next one instead. */
export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial', up: m001.up },
  { version: 2, name: 'directory-mirror', up: m002.up },
  { version: 3, name: 'governance', up: m003.up },
  { version: 4, name: 'accounts', up: m004.up },
  { version: 5, name: 'review', up: m005.up },
  { version: 6, name: 'accounts-speed', up: m006.up },
  { version: 7, name: 'mirror-marks', up: m007.up },
  { version: 8, name: 'audit-chains', up: m008.up },
  { version: 9, name: 'letters', up: m009.up },
  { version: 10, name: 'statistics', up: m010.up },
  { version: 11, name: 'imports', up: m011.up },
];

export const latestSchemaVersion = migrations.at(-1)?.version ?? 0;
