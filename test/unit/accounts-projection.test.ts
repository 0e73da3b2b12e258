/**
 * The incremental refresh of the account projection (only the rows a sync's changes can affect) gives exactly what a
 * whole rebuild gives, for every kind of change: accounts, names (probable duplicates), links, classes, tombstones.
 * A whole rebuild runs in steps (several transactions): what the mirror writes in between is refreshed after it, and
 * one a crash cut short is finished first.
 */
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureFresh, isStale, rebuild } from '../../electron/core/accounts/projection';
import { ACCOUNT_LIST_INDEXES } from '../../electron/core/accounts/schema';
import { openDatabase } from '../../electron/core/db/database';
import { Mirror } from '../../electron/core/directory/mirror';
import { generateAcademy } from '../../electron/demo-directory/generate';
import { DirectoryStore } from '../../electron/demo-directory/store';
import type { AccountData, GuardianData, LinkData, PupilData, RecordType } from '../../shared/directory/wire';
import { tempDir } from '../helpers/temp';
import { accountsMigrations } from '../integration/accounts-helpers';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

/**
 * Everything the lists read, keyed by person rather than by row id (row ids differ between the two ways): the rows,
 * their groups, their presence in both text indexes under the key that embeds their facet key, and the counts kept per
 * facet key and per MEF/classe.
 */
function snapshot(db: Database, uai: string): unknown {
  const key = `((s.scope << 53) | (a.facet_key << 31) | a.row_id)`;
  const rows = db
    .prepare(
      `SELECT a.*, (SELECT group_concat(g.mef || '/' || g.division || '/' || g.level || '/' || g.facet_key, ',')
         FROM (SELECT * FROM acc_groups g WHERE g.row_id = a.row_id ORDER BY mef, division) g) AS groups,
         (SELECT count(*) FROM acc_fts WHERE rowid = ${key}) AS fts, (SELECT count(*) FROM acc_words WHERE rowid = ${key}) AS words
       FROM acc_index a JOIN acc_scopes s ON s.uai = a.uai AND s.kind = a.kind WHERE a.uai = ? ORDER BY a.kind, a.person_id`,
    )
    .all(uai) as Record<string, unknown>[];
  for (const r of rows) expect([r.fts, r.words]).toEqual([1, 1]);
  return {
    rows: rows.map(({ row_id: _rowId, ...rest }) => rest),
    texts: [db.prepare('SELECT count(*) FROM acc_fts').pluck().get(), db.prepare('SELECT count(*) FROM acc_words').pluck().get()],
    facetCounts: db.prepare('SELECT kind, facet_key, n FROM acc_facet_counts WHERE uai = ? ORDER BY 1, 2').all(uai),
    groupCounts: db.prepare('SELECT kind, field, value, facet_key, n FROM acc_group_counts WHERE uai = ? ORDER BY 1, 2, 3, 4').all(uai),
  };
}

type Row<T> = { id: string; version: number; data: T };
const rowsOf = <T>(db: Database, table: string, uai: string): Row<T>[] =>
  (db.prepare(`SELECT id, version, data FROM ${table} WHERE uai = ? AND deleted = 0 ORDER BY id`).all(uai) as Row<string>[]).map(
    (r) => ({ ...r, data: JSON.parse(r.data) as T }),
  );

describe('account projection, incremental refresh', () => {
  it('equals a whole rebuild after accounts, names, links, classes and tombstones change', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = new DirectoryStore(':memory:');
    const { establishments } = generateAcademy(store, { seed: 11, establishments: 1, pupils: 400, today: '2026-03-02' });
    const uai = establishments[0]!.uai;
    const { db } = openDatabase(dir.path, accountsMigrations());
    const mirror = new Mirror(db);
    db.transaction(() => {
      for (const type of ['pupil', 'guardian', 'link', 'account'] as RecordType[]) {
        for (const r of store.liveRows(uai, type)) mirror.write(uai, { type, id: r.id, version: r.version, seq: null, data: JSON.stringify(r.data) });
      }
    })();
    store.close();
    await ensureFresh(db);
    expect(db.prepare('SELECT count(*) FROM acc_dirty_people').pluck().get()).toBe(0);
    const before = snapshot(db, uai);

    const pupils = rowsOf<PupilData>(db, 'dir_pupils', uai);
    const guardians = rowsOf<GuardianData>(db, 'dir_guardians', uai);
    const links = rowsOf<LinkData>(db, 'dir_links', uai);
    const accounts = rowsOf<AccountData>(db, 'dir_accounts', uai);
    const guardianAccounts = accounts.filter((a) => a.data.personKind === 'guardian');
    const legal = links.filter((l) => l.data.level === 1);
    const put = (type: RecordType, r: Row<unknown>, data: unknown) =>
      mirror.write(uai, { type, id: r.id, version: r.version + 1, seq: null, data: data === null ? null : JSON.stringify(data) });

    db.transaction(() => {
      // Activations and a lock: family statuses of children and co-guardians.
      for (const a of guardianAccounts.slice(0, 5)) put('account', a, { ...a.data, state: a.data.state === 'active' ? 'bloque' : 'active' });
      put('account', guardianAccounts[6]!, { ...guardianAccounts[6]!.data, state: 'desactive' });
      // A guardian renamed as another one: probable duplicates appear (and disappear for its old namesakes).
      const [g1, g2] = [guardians[10]!, guardians[20]!];
      put('guardian', g1, { ...g1.data, lastName: g2.data.lastName.toLowerCase(), firstName: g2.data.firstName, birthDate: null });
      // An invalid email, no contact at all.
      put('guardian', guardians[30]!, { ...guardians[30]!.data, email: 'pas-un-courriel', mobile: null, phoneHome: null, phoneWork: null });
      // A legal link removed, a pupil moved to another class, a pupil removed, an account removed.
      put('link', legal[3]!, null);
      const other = pupils.find((p) => p.data.division !== pupils[40]!.data.division)!;
      put('pupil', pupils[40]!, { ...pupils[40]!.data, mef: other.data.mef, division: other.data.division });
      put('pupil', pupils[50]!, null);
      put('account', guardianAccounts[60]!, null);
      // A new guardian with an activated account, legal guardian of an existing pupil.
      const model = guardians[70]!;
      mirror.write(uai, { type: 'guardian', id: 'resp-new', version: 1, seq: null, data: JSON.stringify({ ...model.data, firstName: 'Nouveau' }) });
      mirror.write(uai, {
        type: 'link', id: 'lien-new', version: 1, seq: null,
        data: JSON.stringify({ ...legal[0]!.data, guardianId: 'resp-new', pupilId: pupils[80]!.id, level: 1 }),
      });
      mirror.write(uai, {
        type: 'account', id: 'compte-new', version: 1, seq: null,
        data: JSON.stringify({ ...guardianAccounts[0]!.data, personId: 'resp-new', login: 'nouveau.resp', state: 'active' }),
      });
    })();

    const dirty = db.prepare('SELECT count(*) FROM acc_dirty_people').pluck().get() as number;
    expect(dirty).toBeGreaterThan(10);
    // Few enough for the incremental path (refresh falls back to a rebuild above max(200, 20 % of the rows)).
    expect(dirty).toBeLessThan(200);
    await ensureFresh(db);
    expect(db.prepare('SELECT count(*) FROM acc_dirty').pluck().get()).toBe(0);
    const incremental = snapshot(db, uai);
    expect(incremental).not.toEqual(before);
    await rebuild(db, uai);
    expect(incremental).toEqual(snapshot(db, uai));
    db.close();
  });
});

describe('account projection, whole rebuild in steps', () => {
  /** One establishment of `pupils` pupils in a fresh mirror, not projected yet. */
  function mirrored(pupils: number, seed = 12): { db: Database; mirror: Mirror; uai: string } {
    const dir = tempDir();
    dirs.push(dir);
    const store = new DirectoryStore(':memory:');
    const { establishments } = generateAcademy(store, { seed, establishments: 1, pupils, today: '2026-03-02' });
    const uai = establishments[0]!.uai;
    const { db } = openDatabase(dir.path, accountsMigrations());
    const mirror = new Mirror(db);
    db.transaction(() => {
      for (const type of ['pupil', 'guardian', 'link', 'account'] as RecordType[]) {
        for (const r of store.liveRows(uai, type)) mirror.write(uai, { type, id: r.id, version: r.version, seq: null, data: JSON.stringify(r.data) });
      }
    })();
    store.close();
    return { db, mirror, uai };
  }

  it('refreshes, after the rebuild, what the mirror wrote between its steps', async () => {
    const { db, mirror, uai } = mirrored(400);
    const accounts = rowsOf<AccountData>(db, 'dir_accounts', uai).filter((a) => a.data.personKind === 'guardian').slice(0, 3);
    let wrote = false;
    // Between two of the rebuild's transactions (where the write worker lets the main thread's writes in).
    await rebuild(db, uai, async () => {
      if (wrote) return;
      wrote = true;
      db.transaction(() => {
        for (const a of accounts) {
          mirror.write(uai, { type: 'account', id: a.id, version: a.version + 1, seq: null, data: JSON.stringify({ ...a.data, state: 'desactive' }) });
        }
      })();
    });
    expect(wrote).toBe(true);
    // The rebuild read the mirror before those writes: they are left for an incremental refresh.
    expect(db.prepare('SELECT uai, full FROM acc_dirty').all()).toEqual([{ uai, full: 0 }]);
    expect(isStale(db, uai)).toBe(true);
    await ensureFresh(db, uai);
    const refreshed = snapshot(db, uai);
    expect(db.prepare("SELECT count(*) FROM acc_index WHERE state = 'desactive' AND account_id IN (SELECT value FROM json_each(?))").pluck().get(
      JSON.stringify(accounts.map((a) => a.id)),
    )).toBe(3);
    await rebuild(db, uai);
    expect(refreshed).toEqual(snapshot(db, uai));
    db.close();
  });

  it('finishes a rebuild a crash cut short before any other refresh, list indexes included, and holds every list until then', async () => {
    const { db, uai } = mirrored(300);
    await ensureFresh(db);
    const whole = snapshot(db, uai);
    // Cut short half-way in bulk mode: claimed, list indexes dropped, half the rows written.
    db.prepare('INSERT INTO acc_dirty (uai, full) VALUES (?, 2)').run(uai);
    for (const index of ACCOUNT_LIST_INDEXES) db.exec(`DROP INDEX ${index.name}`);
    db.prepare('DELETE FROM acc_index WHERE row_id % 2 = 0').run();
    expect(isStale(db, 'another establishment')).toBe(true);

    await ensureFresh(db, 'another establishment');
    expect(db.prepare('SELECT count(*) FROM acc_dirty').pluck().get()).toBe(0);
    const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").pluck().all();
    for (const index of ACCOUNT_LIST_INDEXES) expect(indexes).toContain(index.name);
    expect(snapshot(db, uai)).toEqual(whole);
    db.close();
  });
});
