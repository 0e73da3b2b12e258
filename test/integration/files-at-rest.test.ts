/**
 * Files at rest on POSIX: the data folder 0700; the database, its -wal/-shm, backups and exports 0600; wider modes
 * left by an older version tightened at start, with a log line. Real files in temp folders.
 */
import BetterSqlite3 from 'better-sqlite3';
import { chmodSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeAuditWorkbook } from '../../electron/core/audit/export';
import { BACKUP_DIR, DATABASE_FILE, openDatabase } from '../../electron/core/db/database';
import { migrations } from '../../electron/core/db/migrations';
import { exportAccounts } from '../../electron/core/accounts/export';
import { handoffExport } from '../../electron/core/review/handoff';
import { DirectoryStore } from '../../electron/demo-directory/store';
import { tempDir } from '../helpers/temp';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const mode = (path: string) => statSync(path).mode & 0o777;
const fresh = () => {
  const dir = tempDir('ecd-modes-');
  dirs.push(dir);
  return dir.path;
};

describe.skipIf(process.platform === 'win32')('files at rest (POSIX modes; Windows has none, its profile ACLs apply)', () => {
  it('creates the data folder 0700 and the database, -wal and -shm 0600', () => {
    const dataDir = join(fresh(), 'a', 'données');
    const lines: string[] = [];
    const { db, file } = openDatabase(dataDir, migrations, (l) => lines.push(l));
    db.prepare("INSERT INTO settings (key, value) VALUES ('x', '1')").run();
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
    expect(mode(`${file}-wal`)).toBe(0o600);
    expect(mode(`${file}-shm`)).toBe(0o600);
    db.close();
    expect(lines).toEqual([]);
  });

  it('tightens a folder, database files and backups left wider by an older version, and says so', () => {
    const dataDir = join(fresh(), 'data');
    mkdirSync(join(dataDir, BACKUP_DIR), { recursive: true });
    const file = join(dataDir, DATABASE_FILE);
    const old = new BetterSqlite3(file);
    old.pragma('journal_mode = WAL');
    old.exec('CREATE TABLE t (x)');
    const backup = join(dataDir, BACKUP_DIR, 'educonnect-desk-v6-2024-05-01T10-00-00-000Z.sqlite');
    writeFileSync(backup, 'x');
    for (const path of [file, `${file}-wal`, `${file}-shm`, backup]) chmodSync(path, 0o644);
    for (const path of [dataDir, join(dataDir, BACKUP_DIR)]) chmodSync(path, 0o755);

    const lines: string[] = [];
    const { db } = openDatabase(dataDir, migrations.slice(0, 1), (l) => lines.push(l));
    expect([dataDir, join(dataDir, BACKUP_DIR)].map(mode)).toEqual([0o700, 0o700]);
    expect([file, `${file}-wal`, `${file}-shm`, backup].map(mode)).toEqual([0o600, 0o600, 0o600, 0o600]);
    old.close();
    db.close();
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(`${dataDir} was readable by others (mode 0755): now 0700`);
    expect(lines.join('\n')).toContain(`${backup} was readable by others (mode 0644): now 0600`);
  });

  it('writes the backup taken before migrating as 0600', () => {
    const dataDir = fresh();
    openDatabase(dataDir, migrations.slice(0, 3)).db.close();
    const { db, backupFile } = openDatabase(dataDir, migrations.slice(0, 4));
    db.close();
    expect(backupFile).not.toBeNull();
    expect(mode(backupFile!)).toBe(0o600);
    expect(mode(join(dataDir, BACKUP_DIR))).toBe(0o700);
  });

  it('writes exports 0600, even over an existing file readable by others', async () => {
    const dataDir = fresh();
    const { db } = openDatabase(join(dataDir, 'data'));
    const out = join(dataDir, 'documents');
    mkdirSync(out);
    const paths = {
      audit: join(out, 'journal.xlsx'),
      handoffCsv: join(out, 'saisie.csv'),
      handoffXlsx: join(out, 'saisie.xlsx'),
      accountsCsv: join(out, 'comptes.csv'),
      accountsXlsx: join(out, 'comptes.xlsx'),
    };
    writeFileSync(paths.audit, 'ancien');
    chmodSync(paths.audit, 0o644);
    await writeAuditWorkbook({ path: paths.audit, overwrite: true }, []);
    await handoffExport(db, '0750654D', { format: 'csv', path: paths.handoffCsv });
    await handoffExport(db, '0750654D', { format: 'xlsx', path: paths.handoffXlsx });
    await exportAccounts(db, { kind: 'pupil', uai: '0750654D', format: 'csv', path: paths.accountsCsv });
    await exportAccounts(db, { kind: 'pupil', uai: '0750654D', format: 'xlsx', path: paths.accountsXlsx });
    db.close();
    for (const path of Object.values(paths)) expect([path, mode(path)]).toEqual([path, 0o600]);
    expect(readdirSync(out).sort()).toEqual(Object.values(paths).map((p) => p.slice(out.length + 1)).sort());
    // The folder the user chose keeps its own mode.
    expect(mode(out)).not.toBe(0o700);
  });

  it('creates the demo directory\'s own database 0600', () => {
    const file = join(fresh(), 'demo-directory.sqlite');
    const store = new DirectoryStore(file);
    store.transaction(() => store.setMeta('x', '1'));
    expect([mode(file), mode(`${file}-wal`)]).toEqual([0o600, 0o600]);
    store.close();
  });
});
