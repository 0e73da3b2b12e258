/** Migration 004: the projection tables, and an establishment marked stale in the mirror write's transaction. */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/database';
import { Mirror } from '../../electron/core/directory/mirror';
import { ensureFresh } from '../../electron/core/accounts/projection';
import { tempDir } from '../helpers/temp';
import { accountsMigrations } from '../integration/accounts-helpers';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const pupil = (uai: string, lastName: string) =>
  JSON.stringify({ uai, ine: '0123456789A', lastName, usageName: null, firstName: 'Zoé', firstName2: null, firstName3: null, birthDate: '2012-01-01', sex: 'F', birthCity: null, mef: '10010012110', mefLabel: '6EME', division: '6A', entryDate: '2025-09-01', leftDate: null, email: null });

describe('migration 004 (accounts)', () => {
  it('creates the projection and marks an establishment dirty on every kind of mirror write, upserts included', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const { db } = openDatabase(dir.path, accountsMigrations());
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(4);
    for (const t of ['acc_index', 'acc_groups', 'acc_fts', 'acc_dirty', 'acc_actions', 'acc_preferences']) {
      expect(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = ?").get(t), t).toBeDefined();
    }
    const mirror = new Mirror(db);
    const dirty = () => db.prepare('SELECT uai FROM acc_dirty ORDER BY uai').pluck().all();
    db.transaction(() => mirror.write('0750654D', { type: 'pupil', id: 'p1', version: 1, seq: 1, data: pupil('0750654D', 'Lefèvre') }))();
    expect(dirty()).toEqual(['0750654D']);
    await ensureFresh(db);
    expect(dirty()).toEqual([]);
    expect(db.prepare('SELECT search FROM acc_index').pluck().get()).toBe('lefevre zoe 0123456789a');
    // An upsert (ON CONFLICT DO UPDATE) and a tombstone mark it again; a rolled-back write does not.
    db.transaction(() => mirror.write('0750654D', { type: 'pupil', id: 'p1', version: 2, seq: 2, data: pupil('0750654D', 'Martin') }))();
    expect(dirty()).toEqual(['0750654D']);
    await ensureFresh(db);
    expect(db.prepare('SELECT last_name FROM acc_index').pluck().get()).toBe('Martin');
    expect(() =>
      db.transaction(() => {
        mirror.write('0951099D', { type: 'pupil', id: 'p2', version: 1, seq: 3, data: pupil('0951099D', 'X') });
        throw new Error('crash');
      })(),
    ).toThrow('crash');
    expect(dirty()).toEqual([]);
    db.transaction(() => mirror.write('0750654D', { type: 'pupil', id: 'p1', version: 3, seq: 4, data: null }))();
    await ensureFresh(db);
    expect(db.prepare('SELECT count(*) FROM acc_index').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM acc_fts').pluck().get()).toBe(0);
    db.close();
  });
});
