/** Migration 002 (directory mirror, sync bookkeeping, outbox), in the style of db.test.ts: one database per test. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, tableCounts } from '../../electron/core/db/database';
import { migrations } from '../../electron/core/db/migrations';
import { MIRROR_TABLE, Mirror } from '../../electron/core/directory/mirror';
import { tempDir } from '../helpers/temp';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.remove());

const createAt = (version: number) => openDatabase(dir.path, migrations.filter((m) => m.version <= version));

describe('migration 002 (directory mirror)', () => {
  it('creates the mirror, staging, sync and outbox tables, all STRICT', () => {
    const { db } = createAt(2);
    expect(schemaVersion(db)).toBe(2);
    const tables = tableCounts(db).map((t) => t.table);
    for (const table of [...Object.values(MIRROR_TABLE), 'dir_staging', 'sync_state', 'sync_runs', 'outbox']) {
      expect(tables).toContain(table);
      const sql = db.prepare("SELECT sql FROM sqlite_schema WHERE name = ?").pluck().get(table) as string;
      expect(sql).toMatch(/\)\s*STRICT/);
    }
    db.close();
  });

  it('upgrades a version-1 database and keeps its establishments', () => {
    const v1 = createAt(1);
    v1.db.prepare("INSERT INTO establishments (uai, name, kind) VALUES ('0750654D', 'Collège test', 'college')").run();
    v1.db.close();
    const { db, backupFile } = openDatabase(dir.path);
    expect(backupFile).not.toBeNull();
    expect(db.prepare('SELECT name, city FROM establishments').get()).toEqual({ name: 'Collège test', city: null });
    db.close();
  });

  it('exposes the searched fields as generated columns with indexes', () => {
    const { db } = createAt(2);
    db.prepare(
      `INSERT INTO dir_pupils (id, uai, version, data) VALUES ('p1', '0750654D', 1,
        json('{"ine":"1234567890A","lastName":"Élodie","firstName":"Zoé","mef":"10010012110","division":"6A","extra":{"x":1}}'))`,
    ).run();
    expect(db.prepare('SELECT ine, last_name, first_name, mef, division FROM dir_pupils').get()).toEqual({
      ine: '1234567890A',
      last_name: 'Élodie',
      first_name: 'Zoé',
      mef: '10010012110',
      division: '6A',
    });
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM dir_accounts WHERE login = 'x'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX dir_accounts_login/);
    const links = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM dir_links WHERE pupil_id = 'x'").all() as { detail: string }[];
    expect(links.map((p) => p.detail).join(' ')).toMatch(/USING INDEX dir_links_pupil_id/);
    db.close();
  });

  it('rejects invalid JSON, bad tombstone flags and unknown outbox states', () => {
    const { db } = createAt(2);
    expect(() => db.prepare("INSERT INTO dir_guardians (id, uai, version, data) VALUES ('g', 'u', 1, 'nope')").run()).toThrow();
    expect(() => db.prepare("INSERT INTO dir_guardians (id, uai, version, deleted, data) VALUES ('g', 'u', 1, 2, '{}')").run()).toThrow();
    expect(() =>
      db
        .prepare(
          `INSERT INTO outbox (uai, idempotency_key, kind, target_type, target_id, payload, state, created_at, updated_at)
           VALUES ('u', 'k', 'account.unlock', 'account', 'a', '{}', 'lost', 'now', 'now')`,
        )
        .run(),
    ).toThrow();
    db.close();
  });

  it('applies writes only with a greater version, so a tombstone wins and stays', () => {
    const { db } = createAt(2);
    const mirror = new Mirror(db);
    const uai = '0750654D';
    expect(mirror.write(uai, { type: 'guardian', id: 'g1', version: 2, seq: 5, data: '{"lastName":"B"}' })).toBe(true);
    expect(mirror.write(uai, { type: 'guardian', id: 'g1', version: 1, seq: 3, data: '{"lastName":"A"}' })).toBe(false);
    expect(mirror.write(uai, { type: 'guardian', id: 'g1', version: 2, seq: 5, data: '{"lastName":"B"}' })).toBe(false);
    expect(mirror.write(uai, { type: 'guardian', id: 'g1', version: 3, seq: 6, data: null })).toBe(true);
    expect(mirror.write(uai, { type: 'guardian', id: 'g1', version: 2, seq: 5, data: '{"lastName":"B"}' })).toBe(false);
    expect(db.prepare("SELECT deleted, version, last_name FROM dir_guardians WHERE id = 'g1'").get()).toEqual({
      deleted: 1,
      version: 3,
      last_name: null,
    });
    // A delete of a record never seen leaves a tombstone, so its older upsert arriving later is ignored too.
    expect(mirror.write(uai, { type: 'link', id: 'l9', version: 4, seq: 9, data: null })).toBe(true);
    expect(mirror.write(uai, { type: 'link', id: 'l9', version: 3, seq: 8, data: '{"pupilId":"p"}' })).toBe(false);
    expect(mirror.counts(uai)).toMatchObject({ guardian: 0, link: 0 });
    db.close();
  });
});
