/**
 * Migration 009 (credential letters): the projection of an existing database is emptied and marked for a whole rebuild
 * (new facet key and text row id layouts), the letter tables exist; and « courrier expiré » follows the clock: a row
 * whose letter end passes after it was computed is found through acc_index_letter_due and recomputed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { markExpiredLetters } from '../../electron/core/accounts/letter-expiry';
import { ensureFresh, projectionClock } from '../../electron/core/accounts/projection';
import { attentionSummary, searchPage } from '../../electron/core/accounts/query';
import { openDatabase } from '../../electron/core/db/database';
import { migrations } from '../../electron/core/db/migrations';
import { Mirror } from '../../electron/core/directory/mirror';
import { tempDir } from '../helpers/temp';

const dirs: { remove(): void }[] = [];
const realClock = projectionClock.now;
afterEach(() => {
  projectionClock.now = realClock;
  dirs.splice(0).forEach((d) => d.remove());
});

const UAI = '0750654D';
const pupil = (lastName: string) =>
  JSON.stringify({
    uai: UAI, ine: '0123456789A', lastName, usageName: null, firstName: 'Zoé', firstName2: null, firstName3: null, birthDate: '2012-01-01',
    sex: 'F', mef: '10010012110', mefLabel: '6EME', division: '6A', entryDate: '2025-09-01', leftDate: null, email: null,
  });
const account = (personId: string, letterExpiresAt: string) =>
  JSON.stringify({
    uai: UAI, personKind: 'pupil', personId, login: `zoe.${personId}`, state: 'notifie', notifiedAt: '2026-01-05T09:00:00+01:00',
    letterExpiresAt, activatedAt: null, activationMethod: null, lastLoginAt: null, lockedUntil: null, email: null, emailConfirmed: false,
    mobile: null, mobileConfirmed: false,
  });

describe('migration 009 (letters)', () => {
  it('empties the projection of an existing database, marks it for a rebuild and adds the letter tables', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const old = openDatabase(dir.path, migrations.filter((m) => m.version <= 8)).db;
    const mirror = new Mirror(old);
    mirror.write(UAI, { type: 'pupil', id: 'p1', version: 1, seq: 1, data: pupil('Lefèvre') });
    mirror.write(UAI, { type: 'account', id: 'a1', version: 1, seq: 2, data: account('p1', '2026-04-05T09:00:00+02:00') });
    // A projection row and its text entry as version 8 wrote them (the code of today writes version 9's).
    old.exec(`DELETE FROM acc_dirty;
      INSERT INTO acc_index (uai, kind, person_id, person_version, state, last_name, first_name, display_name, sort_name, search,
        email_status, mobile_status, family) VALUES ('${UAI}', 'pupil', 'p1', 1, 'notifie', 'x', 'y', 'x y', 'x', 'x', 'none', 'none', 'none');
      INSERT INTO acc_fts (rowid, search) VALUES ((1 << 53) | 1, 'lefevre');`);
    old.close();

    const { db, migratedFrom } = openDatabase(dir.path);
    expect(migratedFrom).toBe(8);
    expect(db.prepare('SELECT count(*) FROM acc_index').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM acc_fts').pluck().get()).toBe(0);
    expect(db.prepare('SELECT uai, full FROM acc_dirty').all()).toEqual([{ uai: UAI, full: 1 }]);
    for (const t of ['letter_batches', 'letter_batch_accounts', 'letter_templates']) {
      expect(db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(t), t).toBeDefined();
    }
    projectionClock.now = () => new Date('2026-02-01T00:00:00Z');
    await ensureFresh(db);
    // Dates stored in UTC, whatever the directory's offset.
    expect(db.prepare('SELECT notified_at, letter_expires_at FROM acc_index').get()).toEqual({
      notified_at: '2026-01-05T08:00:00.000Z',
      letter_expires_at: '2026-04-05T07:00:00.000Z',
    });
    const page = searchPage(db, { kind: 'pupil', uai: UAI, offset: 0, limit: 10 });
    expect(page.rows[0]).toMatchObject({ notifiedAt: '2026-01-05T08:00:00.000Z', letterExpiresAt: '2026-04-05T07:00:00.000Z', attention: ['pupilNoRecoveryEmail', 'familyNoActivated'] });
    db.close();
  });

  it('« courrier expiré »: a letter whose end passes after its row was computed is flagged at the next read', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const { db } = openDatabase(dir.path);
    const mirror = new Mirror(db);
    db.transaction(() => {
      mirror.write(UAI, { type: 'pupil', id: 'p1', version: 1, seq: 1, data: pupil('Martin') });
      mirror.write(UAI, { type: 'account', id: 'a1', version: 1, seq: 2, data: account('p1', '2026-04-05T09:00:00Z') });
      mirror.write(UAI, { type: 'pupil', id: 'p2', version: 1, seq: 3, data: pupil('Durand') });
      mirror.write(UAI, { type: 'account', id: 'a2', version: 1, seq: 4, data: account('p2', '2026-06-05T09:00:00Z') });
    })();
    projectionClock.now = () => new Date('2026-04-01T00:00:00Z');
    await ensureFresh(db);
    const expired = () =>
      searchPage(db, { kind: 'pupil', uai: UAI, filters: { attention: ['letterExpired'] }, offset: 0, limit: 10 }).rows.map((r) => r.lastName);
    expect(markExpiredLetters(db, UAI)).toBe(0);
    expect(expired()).toEqual([]);

    projectionClock.now = () => new Date('2026-04-05T09:00:00Z');
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT uai, kind, person_id FROM acc_index INDEXED BY acc_index_letter_due
         WHERE uai = ? AND letter_expires_at <= ? AND state = 'notifie' AND (attention & 256) = 0`,
      )
      .all(UAI, 'x') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('acc_index_letter_due');
    expect(markExpiredLetters(db, UAI)).toBe(1);
    expect(db.prepare('SELECT kind, person_id FROM acc_dirty_people').all()).toEqual([{ kind: 'pupil', person_id: 'p1' }]);
    await ensureFresh(db);
    expect(expired()).toEqual(['Martin']);
    expect(attentionSummary(db, UAI).find((a) => a.key === 'letterExpired' && a.kind === 'pupil')!.count).toBe(1);
    // Flagged rows leave the partial index: nothing is due any more.
    expect(markExpiredLetters(db, UAI)).toBe(0);
    db.close();
  });
});
