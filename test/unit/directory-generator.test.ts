import { afterAll, describe, expect, it } from 'vitest';
import { DirectoryRecord, type AccountData, type LinkData, type PupilData } from '../../shared/directory/wire';
import { isValidIne, isValidMef, isValidUai, mefLevel } from '../../shared/domain/identifiers';
import { findMef } from '../../shared/domain/mef';
import { generateAcademy } from '../../electron/demo-directory/generate';
import { advanceLife } from '../../electron/demo-directory/life';
import { DirectoryStore } from '../../electron/demo-directory/store';

const options = { seed: 7, establishments: 3, pupils: 300, today: '2026-11-22' };

function dump(store: DirectoryStore) {
  return store.db.prepare('SELECT uai, type, id, version, seq, data, deleted FROM records ORDER BY seq').all();
}

describe('synthetic academy generator', () => {
  const store = new DirectoryStore(':memory:');
  const academy = generateAcademy(store, options);
  afterAll(() => store.close());

  it('is reproducible: the same seed gives the same records', () => {
    const again = new DirectoryStore(':memory:');
    generateAcademy(again, options);
    expect(dump(again)).toEqual(dump(store));
    again.close();

    const other = new DirectoryStore(':memory:');
    generateAcademy(other, { ...options, seed: 8 });
    expect(dump(other)).not.toEqual(dump(store));
    other.close();
  });

  it('creates valid establishments, operators for each role and one multi-establishment operator', () => {
    expect(academy.establishments).toHaveLength(3);
    for (const e of academy.establishments) expect(isValidUai(e.uai), e.uai).toBe(true);
    expect(new Set(academy.operators.map((o) => o.role))).toEqual(new Set(['chef', 'delegue', 'secretariat']));
    expect(academy.operators.some((o) => o.uais.length === 3)).toBe(true);
  });

  it('writes records that match the wire schemas', () => {
    for (const e of academy.establishments) {
      for (const row of store.snapshotPage(e.uai, null, 100_000)) {
        const parsed = DirectoryRecord.safeParse({ type: row.type, id: row.id, version: row.version, data: JSON.parse(row.data) });
        expect(parsed.success, `${row.type} ${row.id}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    }
  });

  it('gives pupils valid INE and MEF, a division of their level and a birth date consistent with it', () => {
    const ines = new Set<string>();
    for (const e of academy.establishments) {
      const pupils = store.liveRows(e.uai, 'pupil');
      expect(pupils).toHaveLength(options.pupils);
      const expectedLevel = e.kind === 'lycee' ? 'lycee' : 'college';
      for (const { data } of pupils as Array<{ data: PupilData }>) {
        expect(isValidIne(data.ine), data.ine).toBe(true);
        expect(ines.has(data.ine)).toBe(false);
        ines.add(data.ine);
        expect(isValidMef(data.mef)).toBe(true);
        expect(mefLevel(data.mef)).toBe(expectedLevel);
        const mef = findMef(data.mef)!;
        expect(data.mefLabel).toBe(mef.label);
        expect(data.division.startsWith(mef.divisionPrefix)).toBe(true);
        const age = 2026 - Number(data.birthDate.slice(0, 4)); // age reached in the calendar year the school year starts
        expect(Math.abs(age - mef.normalAge), `${data.birthDate} in ${mef.label}`).toBeLessThanOrEqual(1);
      }
    }
  });

  it('gives every pupil and guardian its SIECLE id (ELEVE_ID, PERSONNE_ID), unique within the establishment', () => {
    for (const e of academy.establishments) {
      for (const type of ['pupil', 'guardian'] as const) {
        const ids = store.liveRows(e.uai, type).map((r) => (r.data as { sourceIds?: { siecle?: string } }).sourceIds?.siecle);
        expect(ids.every((id) => typeof id === 'string' && /^\d+$/.test(id)), type).toBe(true);
        expect(new Set(ids).size, type).toBe(ids.length);
      }
    }
  });

  it('has French names with accents, compound first names and usage names', () => {
    const uai = academy.establishments[0]!.uai;
    const names = store.liveRows(uai, 'pupil').map((p) => p.data.firstName);
    expect(names.some((n) => /[éèëêïîôœç]/i.test(n))).toBe(true);
    expect(names.some((n) => n.includes('-'))).toBe(true);
    expect(store.liveRows(uai, 'guardian').some((g) => g.data.usageName !== null)).toBe(true);
  });

  it('gives every pupil at least one legal guardian, families with siblings and other contacts', () => {
    for (const e of academy.establishments) {
      const links = store.liveRows(e.uai, 'link').map((l) => l.data as LinkData);
      const legal = new Set(links.filter((l) => l.level === 1).map((l) => l.pupilId));
      for (const p of store.liveRows(e.uai, 'pupil')) expect(legal.has(p.id), p.id).toBe(true);
      const childrenPerGuardian = new Map<string, number>();
      for (const l of links) childrenPerGuardian.set(l.guardianId, (childrenPerGuardian.get(l.guardianId) ?? 0) + 1);
      expect([...childrenPerGuardian.values()].some((n) => n >= 2)).toBe(true);
      expect(links.some((l) => l.level === 3)).toBe(true);
      expect(links.filter((l) => l.level === 1).every((l) => ['10', '20', '50'].includes(l.relationship))).toBe(true);
    }
  });

  it('has accounts in every state, missing and unconfirmed contacts, and pending identity changes', () => {
    const accounts = academy.establishments.flatMap((e) => store.liveRows(e.uai, 'account').map((a) => a.data as AccountData));
    expect(new Set(accounts.map((a) => a.state))).toEqual(new Set(['non_notifie', 'notifie', 'active', 'bloque', 'desactive', 'supprime']));
    const guardians = accounts.filter((a) => a.personKind === 'guardian');
    expect(guardians.some((a) => a.email === null)).toBe(true);
    expect(guardians.some((a) => a.mobile === null)).toBe(true);
    expect(guardians.some((a) => a.email !== null && !a.emailConfirmed)).toBe(true);
    const changes = academy.establishments.flatMap((e) => store.liveRows(e.uai, 'identityChange'));
    expect(changes.some((c) => c.data.status === 'open')).toBe(true);
  });

  it('activates about a quarter of the pupils by the end of September and more than half by June', () => {
    const share = (s: DirectoryStore) => {
      const pupils = s.liveRows(academy.establishments[0]!.uai, 'account').filter((a) => a.data.personKind === 'pupil');
      return pupils.filter((a) => a.data.activatedAt !== null).length / pupils.length;
    };
    const fresh = new DirectoryStore(':memory:');
    generateAcademy(fresh, { ...options, today: '2026-09-01' });
    advanceLife(fresh, { seed: 7, days: 29, retentionDays: 30 });
    expect(share(fresh)).toBeGreaterThan(0.18);
    expect(share(fresh)).toBeLessThan(0.35);
    advanceLife(fresh, { seed: 7, days: 270, retentionDays: 30 });
    expect(share(fresh)).toBeGreaterThan(0.5);
    fresh.close();
  });

  it('generates 5 establishments × 2,000 pupils in a few seconds', () => {
    const big = new DirectoryStore(':memory:');
    const started = performance.now();
    const result = generateAcademy(big, { seed: 1, establishments: 5, pupils: 2000, today: '2026-11-22' });
    const elapsed = performance.now() - started;
    const totals = result.establishments.map((e) => big.countLive(e.uai));
    expect(totals.reduce((n, t) => n + t.pupil, 0)).toBe(10_000);
    expect(totals.reduce((n, t) => n + t.guardian, 0)).toBeGreaterThan(13_000);
    expect(elapsed).toBeLessThan(10_000);
    big.close();
  });
});
