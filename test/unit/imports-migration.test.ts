/** Migration 11: review items accept the origin `import` (table rebuilt, rows and ids kept); imports' own tables. */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { migrations } from '../../electron/core/db/migrations';
import { tempDir } from '../helpers/temp';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const insertItem = `INSERT INTO review_items (uai, person_kind, person_id, person_label, field, school_value, new_value, source, origin,
  dir_change_id, detected_at, ingested_at, state, superseded_by, decided_by, keyed_at)
  VALUES (@uai, 'guardian', @person, 'DUPONT Marie', @field, 'a', 'b', 'franceconnect', @origin, @change, '2025-09-01T08:00:00Z',
  '2025-09-01T08:00:00Z', @state, @superseded, @decidedBy, @keyed)`;

describe('migration 11 (imports)', () => {
  it('rebuilds review_items with the same rows, ids and sequence, and accepts the origin import', () => {
    expect(migrations.find((m) => m.version === 11)?.name).toBe('imports');
    const dir = tempDir('ecd-mig11-');
    dirs.push(dir);
    const old = openDatabase(dir.path, migrations.slice(0, 10)).db;
    const add = old.prepare(insertItem);
    const base = { uai: '0750654D', person: 'res-1', field: 'firstName', origin: 'directory', state: 'pending', superseded: null, decidedBy: null, keyed: null };
    add.run({ ...base, change: 'chg-1', state: 'superseded' });
    add.run({ ...base, change: 'chg-2', state: 'accepted', decidedBy: 'chef.demo', keyed: '2025-09-02T08:00:00Z' });
    add.run({ ...base, field: 'email', origin: 'contact', change: null });
    old.prepare('UPDATE review_items SET superseded_by = 2 WHERE id = 1').run();
    // A deleted last row: AUTOINCREMENT must not hand its id out again.
    add.run({ ...base, field: 'mobile', origin: 'contact', change: null });
    old.prepare('DELETE FROM review_items WHERE id = 4').run();
    const before = old.prepare('SELECT * FROM review_items ORDER BY id').all();
    old.close();

    const { db } = openDatabase(dir.path);
    expect(db.prepare('SELECT * FROM review_items ORDER BY id').all().map((r) => {
      const { import_id, ...rest } = r as Record<string, unknown>;
      expect(import_id).toBeNull();
      return rest;
    })).toEqual(before);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    const next = db.prepare(insertItem).run({ ...base, field: 'lastName', origin: 'import', change: null });
    expect(Number(next.lastInsertRowid)).toBe(5);
    expect(() => db.prepare(insertItem).run({ ...base, field: 'lastName', origin: 'guess', change: null })).toThrow(/CHECK/);
    expect(() => db.prepare('UPDATE review_items SET superseded_by = 99 WHERE id = 5').run()).toThrow(/FOREIGN KEY/);
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM review_items WHERE uai = 'X' AND state = 'pending' ORDER BY person_label, person_id, id LIMIT 50")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/USING INDEX review_items_queue/);
    db.close();
  });

  it('creates the imports tables and indexes the directory source ids of the mirror', () => {
    const dir = tempDir('ecd-mig11-');
    dirs.push(dir);
    const { db } = openDatabase(dir.path);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['import_previews', 'import_changes', 'import_mappings']));
    db.prepare("INSERT INTO dir_pupils (id, uai, version, data) VALUES ('ele-1', '0750654D', 1, ?)").run(JSON.stringify({ ine: '123456789AB', sourceIds: { siecle: '1000042' } }));
    db.prepare("INSERT INTO dir_guardians (id, uai, version, data) VALUES ('res-1', '0750654D', 1, ?)").run(JSON.stringify({ lastName: 'X', sourceIds: { onde: 'o-7' } }));
    expect(db.prepare("SELECT id FROM dir_pupils WHERE uai = '0750654D' AND source_siecle = '1000042'").pluck().get()).toBe('ele-1');
    expect(db.prepare("SELECT id FROM dir_guardians WHERE uai = '0750654D' AND source_onde = 'o-7'").pluck().get()).toBe('res-1');
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT id FROM dir_pupils WHERE uai = '0750654D' AND source_siecle = '1'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/dir_pupils_source_siecle/);
    // A preview's changes go with it.
    db.prepare(
      `INSERT INTO import_previews (id, uai, source, files, paths, fingerprint, counts, problems, created_at) VALUES ('p1', '0750654D', 'siecle', '[]', '[]', 'f', '{}', '[]', 'now')`,
    ).run();
    db.prepare(`INSERT INTO import_changes (preview_id, n, person_kind, person_id, status, label, detail) VALUES ('p1', 1, 'pupil', 'ele-1', 'new', 'X', '{}')`).run();
    db.prepare("DELETE FROM import_previews WHERE id = 'p1'").run();
    expect(db.prepare('SELECT count(*) FROM import_changes').pluck().get()).toBe(0);
    db.close();
  });
});
