/** Migration 10: the statistics tables, and the partial index that counts expired letters without reading accounts. */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { migrations } from '../../electron/core/db/migrations';
import { Mirror } from '../../electron/core/directory/mirror';
import { tempDir } from '../helpers/temp';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const account = (id: string, state: string, letterExpiresAt: string | null) => ({
  uai: '0750654D', personKind: 'pupil', personId: `ele-${id}`, login: `l.${id}`, state, notifiedAt: null, letterExpiresAt,
  activatedAt: null, activationMethod: null, lastLoginAt: null, lockedUntil: null, email: null, emailConfirmed: false, mobile: null, mobileConfirmed: false,
});

describe('migration 10 (statistics)', () => {
  it('migrates a version 8 database; snapshots and directory days are one row per establishment and date', () => {
    expect(migrations.find((m) => m.version === 10)?.name).toBe('statistics');
    const dir = tempDir('ecd-mig10-');
    dirs.push(dir);
    openDatabase(dir.path, migrations.slice(0, 8)).db.close();
    const { db, migratedFrom } = openDatabase(dir.path);
    expect(migratedFrom).toBe(8);
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(10);
    const insert = db.prepare(
      `INSERT INTO stats_snapshots (uai, date, taken_at, pupils, pupils_activated, pupils_notified, guardians, guardians_activated,
         guardians_notified, families_activated, expired_letters) VALUES ('0750654D', '2026-10-01', 'x', 1, 1, 0, 1, 1, 0, 1, 0)`,
    );
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE/);
    db.prepare("INSERT INTO stats_directory_days VALUES ('0750654D', '2026-09-01', 10, 1, 12, 2)").run();
    expect(() => db.prepare("INSERT INTO stats_directory_days VALUES ('0750654D', '2026-09-01', 10, 1, 12, 2)").run()).toThrow(/UNIQUE/);
    db.close();
  });

  it('counts expired letters as a range of the partial index (only notified, live accounts enter it)', () => {
    const dir = tempDir('ecd-mig10-');
    dirs.push(dir);
    const { db } = openDatabase(dir.path);
    const mirror = new Mirror(db);
    db.transaction(() => {
      mirror.write('0750654D', { type: 'account', id: 'a1', version: 1, seq: null, data: JSON.stringify(account('1', 'notifie', '2026-11-01T10:00:00.000Z')) });
      mirror.write('0750654D', { type: 'account', id: 'a2', version: 1, seq: null, data: JSON.stringify(account('2', 'notifie', '2027-01-01T10:00:00.000Z')) });
      mirror.write('0750654D', { type: 'account', id: 'a3', version: 1, seq: null, data: JSON.stringify(account('3', 'active', '2026-10-01T10:00:00.000Z')) });
    })();
    const sql = `SELECT count(*) FROM dir_accounts INDEXED BY dir_accounts_letter_expiry
      WHERE uai = '0750654D' AND person_kind = 'pupil' AND state = 'notifie' AND deleted = 0 AND json_extract(data, '$.letterExpiresAt') < ?`;
    expect(db.prepare(sql).pluck().get('2026-12-01')).toBe(1);
    expect(db.prepare(sql).pluck().get('2027-02-01')).toBe(2);
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('2026-12-01') as { detail: string }[]).map((p) => p.detail).join(' ');
    expect(plan).toMatch(/SEARCH dir_accounts USING (COVERING )?INDEX dir_accounts_letter_expiry \(uai=\? AND person_kind=\? AND <expr><\?\)/);
    // A tombstone leaves the index.
    db.transaction(() => mirror.write('0750654D', { type: 'account', id: 'a1', version: 2, seq: null, data: null }))();
    expect(db.prepare(sql).pluck().get('2026-12-01')).toBe(0);
    db.close();
  });
});
