import BetterSqlite3, { type Database } from 'better-sqlite3';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import { createPrivateFile, defaultFileLog, ensurePrivateDir, PRIVATE_FILE_MODE, tighten, type FileLog } from '../files';
import { latestSchemaVersion, migrations, type Migration } from './migrations';

export const DATABASE_FILE = 'educonnect-desk.sqlite';
export const BACKUP_DIR = 'backups';
const BACKUPS_KEPT = 5;
/** Backups are named `educonnect-desk-v<version>-<ISO time with : and . as ->.sqlite`. */
export const BACKUP_NAME = /^educonnect-desk-v\d+-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.sqlite$/;

export interface OpenedDatabase {
  db: Database;
  file: string;
  /** The file written before migrating, when an existing database was migrated. */
  backupFile: string | null;
  migratedFrom: number;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Opens (or creates) the data folder's database: WAL, foreign keys, integrity check, backup, then migrations.
 * Refuses a database written by a newer version of the app rather than risk damaging it. The folder is made 0700 and
 * the database files 0600 (files.ts); wider modes left by an older version are tightened, with a log line each.
 */
export function openDatabase(dataDir: string, list: readonly Migration[] = migrations, log: FileLog = defaultFileLog): OpenedDatabase {
  ensurePrivateDir(dataDir, log);
  const file = join(dataDir, DATABASE_FILE);
  const existed = existsSync(file) && statSync(file).size > 0;
  // SQLite gives the -wal and -shm files it creates the database file's mode: an empty 0600 file to start with is
  // a valid empty database.
  if (!existsSync(file)) createPrivateFile(file);
  for (const path of [file, `${file}-wal`, `${file}-shm`]) tighten(path, PRIVATE_FILE_MODE, log);
  tightenBackups(dataDir, log);
  const db = openConnection(file);
  try {
    db.pragma('journal_mode = WAL');

    const current = schemaVersion(db);
    const latest = list.at(-1)?.version ?? 0;
    if (current > latest) {
      throw new ApiError(
        'DB_TOO_NEW',
        `Cette base de données (version ${current}) a été créée par une version plus récente d'EduConnect Desk ` +
          `(cette version gère jusqu'à la version ${latest}). Mettez l'application à jour pour l'ouvrir.`,
        { file, schemaVersion: current, supported: latest },
      );
    }
    if (existed) checkIntegrity(db, file);

    let backupFile: string | null = null;
    if (existed && current > 0 && current < latest) backupFile = backup(db, dataDir, current, log);
    applyMigrations(db, list, current);
    return { db, file, backupFile, migratedFrom: current };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * One connection to the app's database file, as both of its users open it: the main thread (`openDatabase`, which
 * also migrates) and the write worker (`electron/core/writer/`). Two connections write this file, so every
 * transaction begins IMMEDIATE (see `immediateTransactions`), and a writer that finds the lock taken waits for it
 * (`busy_timeout`) rather than failing at once.
 */
export function openConnection(file: string, options: { busyTimeoutMs?: number } = {}): Database {
  const db = new BetterSqlite3(file);
  try {
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    immediateTransactions(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Makes `db.transaction(fn)()` begin with BEGIN IMMEDIATE (`.deferred`, `.exclusive` stay available). A deferred
 * transaction that reads, then writes, cannot wait for the other connection's write lock: SQLite answers SQLITE_BUSY
 * at once (waiting could deadlock), or SQLITE_BUSY_SNAPSHOT when the other connection committed since the read. Taking
 * the write lock first makes it wait (busy_timeout) like any other write. Nested calls are savepoints as before.
 */
function immediateTransactions(db: Database): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: Parameters<Database['transaction']>[0]) => transaction(fn).immediate) as Database['transaction'];
}

function checkIntegrity(db: Database, file: string): void {
  const rows = db.pragma('quick_check') as { quick_check: string }[];
  if (rows.length !== 1 || rows[0]?.quick_check !== 'ok') {
    throw new ApiError(
      'DB_CORRUPT',
      "La base de données locale est endommagée. Restaurez une sauvegarde du dossier « backups » ou supprimez le " +
        'fichier pour resynchroniser depuis l’annuaire.',
      { file, problems: rows.slice(0, 10).map((r) => r.quick_check) },
    );
  }
}

function tightenBackups(dataDir: string, log: FileLog): void {
  const dir = join(dataDir, BACKUP_DIR);
  if (!existsSync(dir)) return;
  ensurePrivateDir(dir, log);
  for (const name of readdirSync(dir)) if (BACKUP_NAME.test(name)) tighten(join(dir, name), PRIVATE_FILE_MODE, log);
}

/** A consistent copy (VACUUM INTO) taken before any migration touches the file; the newest few are kept. */
function backup(db: Database, dataDir: string, version: number, log: FileLog): string {
  const dir = join(dataDir, BACKUP_DIR);
  ensurePrivateDir(dir, log);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = join(dir, `educonnect-desk-v${version}-${stamp}.sqlite`);
  // VACUUM INTO accepts an empty file and keeps its mode.
  createPrivateFile(target);
  db.prepare('VACUUM INTO ?').run(target);
  const old = readdirSync(dir)
    .filter((name) => BACKUP_NAME.test(name))
    .sort()
    .slice(0, -BACKUPS_KEPT);
  for (const name of old) rmSync(join(dir, name), { force: true });
  return target;
}

export function applyMigrations(db: Database, list: readonly Migration[], from: number): void {
  let previous = from;
  for (const migration of list) {
    if (migration.version <= from) continue;
    if (migration.version !== previous + 1) {
      throw new Error(`Migrations must be numbered without gaps: ${previous} then ${migration.version}`);
    }
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    previous = migration.version;
  }
}

/** Row counts for every user table, for the status page. */
export function tableCounts(db: Database): { table: string; rows: number }[] {
  const tables = db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .pluck()
    .all() as string[];
  return tables.map((table) => ({
    table,
    rows: db.prepare(`SELECT count(*) FROM "${table.replaceAll('"', '""')}"`).pluck().get() as number,
  }));
}

export { latestSchemaVersion };
