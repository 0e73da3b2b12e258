/**
 * Migration 006 (account lists at scale): an existing database keeps its mirror, its projection is emptied and marked
 * for a whole rebuild; the people a write concerns are recorded only for an establishment that already has a projection
 * (by triggers in 006, by the Mirror itself since 007: accounts-marks.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ensureFresh } from '../../electron/core/accounts/projection';
import { openDatabase } from '../../electron/core/db/database';
import { migrations } from '../../electron/core/db/migrations';
import { Mirror } from '../../electron/core/directory/mirror';
import { tempDir } from '../helpers/temp';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const pupil = (uai: string, _id: string, lastName: string) =>
  JSON.stringify({
    uai, ine: '0123456789A', lastName, usageName: null, firstName: 'Zoé', firstName2: null, firstName3: null, birthDate: '2012-01-01',
    sex: 'F', mef: '10010012110', mefLabel: '6EME', division: '6A', entryDate: '2025-09-01', leftDate: null, email: null,
  });

describe('migration 006 (accounts at scale)', () => {
  it('empties the projection of an existing database and marks its establishments for a rebuild', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const v5 = migrations.filter((m) => m.version <= 5);
    const old = openDatabase(dir.path, v5).db;
    new Mirror(old).write('0750654D', { type: 'pupil', id: 'p1', version: 1, seq: 1, data: pupil('0750654D', 'p1', 'Lefèvre') });
    old.exec("DELETE FROM acc_dirty; INSERT INTO acc_index (uai, kind, person_id, person_version, state, last_name, first_name, display_name, sort_name, search, email_status, mobile_status, family) VALUES ('0750654D', 'pupil', 'p1', 1, 'none', 'x', 'y', 'x y', 'x', 'x', 'none', 'none', 'none')");
    old.close();

    const { db, migratedFrom } = openDatabase(dir.path);
    expect(migratedFrom).toBe(5);
    expect(db.prepare('SELECT count(*) FROM acc_index').pluck().get()).toBe(0);
    expect(db.prepare('SELECT uai, full FROM acc_dirty').all()).toEqual([{ uai: '0750654D', full: 1 }]);
    for (const t of ['acc_scopes', 'acc_fts', 'acc_words', 'acc_facet_counts', 'acc_group_counts']) {
      expect(db.prepare('SELECT 1 FROM sqlite_schema WHERE name = ?').get(t), t).toBeDefined();
    }
    await ensureFresh(db);
    expect(db.prepare('SELECT search FROM acc_index').pluck().all()).toEqual(['lefevre zoe 0123456789a']);
    expect(db.prepare('SELECT kind, n FROM acc_facet_counts').all()).toEqual([{ kind: 'pupil', n: 1 }]);
    db.close();
  });

  it('records the people a write concerns only where a projection exists; a first write marks a whole rebuild', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const { db } = openDatabase(dir.path);
    const mirror = new Mirror(db);
    const people = () => db.prepare('SELECT uai, kind, person_id FROM acc_dirty_people ORDER BY 1, 3').all();
    db.transaction(() => {
      mirror.write('0750654D', { type: 'pupil', id: 'p1', version: 1, seq: 1, data: pupil('0750654D', 'p1', 'Martin') });
      mirror.write('0750654D', { type: 'pupil', id: 'p2', version: 1, seq: 2, data: pupil('0750654D', 'p2', 'Durand') });
    })();
    expect(db.prepare('SELECT uai, full FROM acc_dirty').all()).toEqual([{ uai: '0750654D', full: 1 }]);
    expect(people()).toEqual([]);
    await ensureFresh(db);
    expect(db.prepare('SELECT count(*) FROM acc_dirty').pluck().get()).toBe(0);

    // Projected: an update records its person, a move between establishments both ends; a new establishment is full.
    db.transaction(() => {
      mirror.write('0750654D', { type: 'pupil', id: 'p1', version: 2, seq: 3, data: pupil('0750654D', 'p1', 'Martineau') });
      mirror.write('0951099D', { type: 'pupil', id: 'p2', version: 2, seq: 4, data: pupil('0951099D', 'p2', 'Durand') });
    })();
    expect(db.prepare('SELECT uai, full FROM acc_dirty ORDER BY 1').all()).toEqual([
      { uai: '0750654D', full: 0 },
      { uai: '0951099D', full: 1 },
    ]);
    expect(people()).toEqual([
      { uai: '0750654D', kind: 'pupil', person_id: 'p1' },
      { uai: '0750654D', kind: 'pupil', person_id: 'p2' },
    ]);
    await ensureFresh(db);
    expect(db.prepare('SELECT uai, last_name FROM acc_index ORDER BY 1, 2').all()).toEqual([
      { uai: '0750654D', last_name: 'Martineau' },
      { uai: '0951099D', last_name: 'Durand' },
    ]);
    db.close();
  });
});
