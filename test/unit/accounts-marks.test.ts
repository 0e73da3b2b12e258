/**
 * Migration 007 and the Mirror's marks for the account projection (electron/core/accounts/marks.ts), on a real SQLite
 * file: no trigger is left on the mirror tables, and the people a write concerns are still recorded — both ends of a
 * link, before and after, tombstones included; a resync swap that changed rows asks for a whole rebuild, one that
 * changed nothing does not; a page written at once (`writeMany`) leaves the same marks as its writes one by one.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ensureFresh } from '../../electron/core/accounts/projection';
import { openDatabase } from '../../electron/core/db/database';
import { Mirror } from '../../electron/core/directory/mirror';
import { tempDir } from '../helpers/temp';

const dirs: { remove(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

const UAI = '0750654D';
const pupil = (lastName: string) =>
  JSON.stringify({
    uai: UAI, ine: '0123456789A', lastName, usageName: null, firstName: 'Zoé', firstName2: null, firstName3: null, birthDate: '2012-01-01',
    sex: 'F', mef: '10010012110', mefLabel: '6EME', division: '6A', entryDate: '2025-09-01', leftDate: null, email: null,
  });
const guardian = (lastName: string) =>
  JSON.stringify({ uai: UAI, civility: 'Mme', lastName, usageName: null, firstName: 'Anne', birthDate: null, email: null, mobile: null, phoneHome: null, phoneWork: null, address: null });
const link = (pupilId: string, guardianId: string) => JSON.stringify({ uai: UAI, pupilId, guardianId, level: 1, relationship: '20' });

async function projected() {
  const dir = tempDir();
  dirs.push(dir);
  const { db } = openDatabase(dir.path);
  const mirror = new Mirror(db);
  db.transaction(() => {
    mirror.write(UAI, { type: 'pupil', id: 'p1', version: 1, seq: 1, data: pupil('Martin') });
    mirror.write(UAI, { type: 'pupil', id: 'p2', version: 1, seq: 2, data: pupil('Durand') });
    mirror.write(UAI, { type: 'guardian', id: 'g1', version: 1, seq: 3, data: guardian('Martin') });
    mirror.write(UAI, { type: 'guardian', id: 'g2', version: 1, seq: 4, data: guardian('Durand') });
    mirror.write(UAI, { type: 'link', id: 'l1', version: 1, seq: 5, data: link('p1', 'g1') });
  })();
  await ensureFresh(db);
  const people = () => db.prepare('SELECT kind, person_id FROM acc_dirty_people ORDER BY 1, 2').all();
  const dirty = () => db.prepare('SELECT uai, full FROM acc_dirty').all();
  return { db, mirror, people, dirty };
}

describe('migration 007 and the Mirror marks', () => {
  it('leaves no trigger on the mirror tables', async () => {
    const { db } = await projected();
    const triggers = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name LIKE 'dir_%'").pluck().all();
    expect(triggers).toEqual([]);
    db.close();
  });

  it('records both ends of a link before and after a write, a tombstone included, and nothing for an unchanged write', async () => {
    const { db, mirror, people, dirty } = await projected();
    expect(dirty()).toEqual([]);
    // The same version again changes nothing: nothing is marked.
    db.transaction(() => mirror.write(UAI, { type: 'link', id: 'l1', version: 1, seq: 6, data: link('p1', 'g1') }))();
    expect(dirty()).toEqual([]);
    // The link now joins p2 to g2: the people it named before and after.
    db.transaction(() => mirror.write(UAI, { type: 'link', id: 'l1', version: 2, seq: 7, data: link('p2', 'g2') }))();
    expect(dirty()).toEqual([{ uai: UAI, full: 0 }]);
    expect(people()).toEqual([
      { kind: 'guardian', person_id: 'g1' },
      { kind: 'guardian', person_id: 'g2' },
      { kind: 'pupil', person_id: 'p1' },
      { kind: 'pupil', person_id: 'p2' },
    ]);
    await ensureFresh(db);
    const family = () => db.prepare("SELECT person_id, family FROM acc_index WHERE kind = 'pupil' ORDER BY 1").all();
    expect(family()).toEqual([
      { person_id: 'p1', family: expect.any(String) },
      { person_id: 'p2', family: expect.any(String) },
    ]);
    // A tombstone's data is '{}': its people come from the row it replaces.
    db.transaction(() => mirror.write(UAI, { type: 'link', id: 'l1', version: 3, seq: 8, data: null }))();
    expect(people()).toEqual([
      { kind: 'guardian', person_id: 'g2' },
      { kind: 'pupil', person_id: 'p2' },
    ]);
    db.close();
  });

  it('asks for a whole rebuild after a resync swap that changed rows, and for nothing after one that did not', async () => {
    const { db, mirror, dirty } = await projected();
    const current = db.prepare("SELECT 'pupil' AS type, id, version, data FROM dir_pupils UNION ALL SELECT 'guardian', id, version, data FROM dir_guardians UNION ALL SELECT 'link', id, version, data FROM dir_links").all() as { type: 'pupil'; id: string; version: number; data: string }[];
    db.transaction(() => {
      for (const r of current) mirror.stage(UAI, { type: r.type, id: r.id, version: r.version, seq: null, data: r.data });
      mirror.swapFromStaging(UAI);
    })();
    expect(dirty()).toEqual([]);
    db.transaction(() => {
      for (const r of current) if (r.id !== 'p2') mirror.stage(UAI, { type: r.type, id: r.id, version: r.version, seq: null, data: r.data });
      mirror.swapFromStaging(UAI);
    })();
    expect(dirty()).toEqual([{ uai: UAI, full: 1 }]);
    await ensureFresh(db);
    expect(db.prepare("SELECT person_id FROM acc_index WHERE kind = 'pupil'").pluck().all()).toEqual(['p1']);
    db.close();
  });

  it('leaves the same marks for a page written at once as for its writes one by one, a row moved from a projected establishment included', async () => {
    const other = '0750655E';
    const page = [
      // p1 leaves the projected establishment for another one, not projected yet; two new people and a link join it.
      { type: 'pupil' as const, id: 'p1', version: 2, seq: null, data: pupil('Martin').replace(UAI, other) },
      { type: 'pupil' as const, id: 'p9', version: 1, seq: null, data: pupil('Petit').replace(UAI, other) },
      { type: 'guardian' as const, id: 'g9', version: 1, seq: null, data: guardian('Petit').replace(UAI, other) },
      { type: 'link' as const, id: 'l9', version: 1, seq: null, data: link('p9', 'g9').replace(UAI, other) },
      // Already there at this version: no change, no mark.
      { type: 'pupil' as const, id: 'p2', version: 1, seq: null, data: pupil('Durand') },
    ];
    const marks = async (write: (mirror: Mirror) => void) => {
      const { db, mirror, people, dirty } = await projected();
      db.transaction(() => write(mirror))();
      const result = { people: people(), dirty: dirty() };
      db.close();
      return result;
    };
    const oneByOne = await marks((mirror) => page.forEach((w) => mirror.write(other, w)));
    const atOnce = await marks((mirror) => mirror.writeMany(other, page));
    expect(atOnce).toEqual(oneByOne);
    // p1's old establishment is refreshed for it; the new one, never projected, is rebuilt whole (no people recorded).
    expect(atOnce).toEqual({ people: [{ kind: 'pupil', person_id: 'p1' }], dirty: [{ uai: UAI, full: 0 }, { uai: other, full: 1 }] });
  });
});
