import BetterSqlite3 from 'better-sqlite3';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import { DATABASE_FILE, openDatabase, schemaVersion, tableCounts } from '../../electron/core/db/database';
import { latestSchemaVersion, migrations, type Migration } from '../../electron/core/db/migrations';
import { tempDir } from '../helpers/temp';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

/** Creates a database at exactly `version` by applying the real migrations up to it. */
function createAt(version: number) {
  return openDatabase(dir.path, migrations.filter((m) => m.version <= version));
}

describe('openDatabase', () => {
  it('creates a WAL database with foreign keys at the latest schema version', () => {
    const { db, file, backupFile } = openDatabase(dir.path);
    expect(file).toBe(join(dir.path, DATABASE_FILE));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    expect(backupFile).toBeNull();
    db.close();
  });

  it('is idempotent: reopening runs no migration and takes no backup', () => {
    openDatabase(dir.path).db.close();
    const again = openDatabase(dir.path);
    expect(again.migratedFrom).toBe(latestSchemaVersion);
    expect(again.backupFile).toBeNull();
    again.db.close();
  });

  it('refuses a database from a newer version with a French message and leaves it untouched', () => {
    openDatabase(dir.path).db.close();
    const raw = new BetterSqlite3(join(dir.path, DATABASE_FILE));
    raw.pragma(`user_version = ${latestSchemaVersion + 1}`);
    raw.close();
    let caught: unknown;
    try {
      openDatabase(dir.path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ApiError);
    expect((caught as ApiError).code).toBe('DB_TOO_NEW');
    expect((caught as ApiError).message).toMatch(/version plus récente/);
    const check = new BetterSqlite3(join(dir.path, DATABASE_FILE));
    expect(check.pragma('user_version', { simple: true })).toBe(latestSchemaVersion + 1);
    check.close();
  });

  it('backs up an existing database before migrating it and keeps its data', () => {
    const extra: Migration = {
      version: latestSchemaVersion + 1,
      name: 'test-extra',
      up: (db) => db.exec('CREATE TABLE extra (id INTEGER PRIMARY KEY) STRICT'),
    };
    const first = openDatabase(dir.path);
    first.db.prepare("INSERT INTO settings (key, value) VALUES ('k', '\"v\"')").run();
    first.db.close();

    const second = openDatabase(dir.path, [...migrations, extra]);
    expect(schemaVersion(second.db)).toBe(latestSchemaVersion + 1);
    expect(second.backupFile).not.toBeNull();
    expect(existsSync(second.backupFile as string)).toBe(true);
    const backup = new BetterSqlite3(second.backupFile as string, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(latestSchemaVersion);
    expect(backup.prepare("SELECT value FROM settings WHERE key = 'k'").pluck().get()).toBe('"v"');
    backup.close();
    second.db.close();
  });

  it('rolls back a failing migration entirely', () => {
    openDatabase(dir.path).db.close();
    const broken: Migration = {
      version: latestSchemaVersion + 1,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (id INTEGER PRIMARY KEY)');
        throw new Error('boom');
      },
    };
    expect(() => openDatabase(dir.path, [...migrations, broken])).toThrow('boom');
    const reopened = openDatabase(dir.path);
    expect(schemaVersion(reopened.db)).toBe(latestSchemaVersion);
    expect(tableCounts(reopened.db).map((t) => t.table)).not.toContain('half_done');
    reopened.db.close();
  });

  it('refuses a damaged file with a clear message', () => {
    writeFileSync(join(dir.path, DATABASE_FILE), Buffer.alloc(8192, 7));
    expect(() => openDatabase(dir.path)).toThrow();
  });

  it('keeps only the newest backups', () => {
    openDatabase(dir.path, migrations).db.close();
    let list = [...migrations];
    for (let i = 1; i <= 7; i++) {
      list = [...list, { version: latestSchemaVersion + i, name: `m${i}`, up: () => undefined }];
      openDatabase(dir.path, list).db.close();
    }
    expect(readdirSync(join(dir.path, 'backups'))).toHaveLength(5);
  });
});

describe('migrations', () => {
  it('are numbered from 1 without gaps', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('001 creates settings and establishments with their checks', () => {
    const { db } = createAt(1);
    expect(tableCounts(db).map((t) => t.table)).toEqual(['establishments', 'settings']);
    db.prepare("INSERT INTO establishments (uai, name, kind) VALUES ('0750654D', 'Collège test', 'college')").run();
    expect(() => db.prepare("INSERT INTO establishments (uai, name, kind) VALUES ('075', 'x', 'college')").run()).toThrow();
    expect(() => db.prepare("INSERT INTO settings (key, value) VALUES ('a', 'not json')").run()).toThrow();
    db.close();
  });
});

describe('tableCounts', () => {
  it('counts the rows of every table', () => {
    const { db } = openDatabase(dir.path);
    db.prepare("INSERT INTO settings (key, value) VALUES ('a', '1'), ('b', '2')").run();
    expect(tableCounts(db).find((t) => t.table === 'settings')?.rows).toBe(2);
    db.close();
  });
});
