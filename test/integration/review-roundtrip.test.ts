/**
 * Round trips of the review queue, through the real dispatcher, a real core database and the demo directory over
 * HTTP: decide → sync → sync again, for every identity field and every decision. Once the head has decided, nothing
 * about that field comes back unless the directory really changes it again (issue 10, item 4) — or, for the
 * differences an import found, unless the school base really changes (issue 13: re-importing the same files).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core';
import type { CallOrigin } from '../../electron/core/dispatcher';
import { schoolValue } from '../../electron/core/school/records';
import { accountId } from '../../electron/demo-directory/accounts';
import { createDemoDirectory, type DemoDirectory } from '../../electron/demo-directory/server';
import type { AccountData, IdentityChangeData, IdentityField } from '../../shared/directory/wire';
import { IdentityField as IdentityFields } from '../../shared/directory/wire';
import { elevesXml, fromDemoDirectory, latin9, responsablesXml, type SiecleBase } from '../helpers/siecle';
import { tempDir } from '../helpers/temp';
import { FAST_RETRY, operator } from './sync-helpers';

const origin: CallOrigin = { transport: 'internal' };
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: { seed: number; pupils: number; advanceDays?: number; login?: string }) {
  const data = tempDir('ecd-roundtrip-');
  const directory: DemoDirectory = await createDemoDirectory({ memory: true, seed: options.seed, establishments: 1, pupils: options.pupils, today: '2025-10-01' });
  if (options.advanceDays) directory.advance(options.advanceDays);
  const core: Core = createCore({
    dataDir: join(data.path, 'app'),
    directory: directory.url,
    appVersion: '0.0.0-test',
    host: 'browser',
    sync: { retry: FAST_RETRY, timeoutMs: 5000, probeMs: 100, log: () => undefined },
  });
  cleanups.push(() => data.remove());
  let exports = 0;
  /** Writes the establishment's SIECLE export (pupils and guardians) as given; returns the files. */
  const writeExport = (base: SiecleBase): string[] => {
    const folder = join(data.path, `siecle-${++exports}`);
    mkdirSync(folder);
    const o = { uai, exportDate: '01/10/2025' };
    const files: [string, string][] = [['ElevesSansAdresses.xml', elevesXml(o, base.pupils)], ['ResponsablesAvecAdresses.xml', responsablesXml(o, base.persons, base.links)]];
    return files.map(([name, xml]) => {
      writeFileSync(join(folder, name), latin9(xml));
      return join(folder, name);
    });
  };
  cleanups.push(() => directory.close());
  cleanups.push(() => core.shutdown());
  const op = operator(directory, options.login ?? 'chef.demo');
  const uai = op.uais[0]!;
  const call = core.dispatcher.call.bind(core.dispatcher);
  await call('auth.signIn', { login: op.login, password: op.password }, origin);
  /** A sync run and its ingestion, with any run the decisions kicked finished first. */
  const sync = async () => {
    await core.directory.scheduler.whenIdle();
    await call('sync.run', { uai }, origin);
    await core.review.ingest(uai);
    await core.directory.scheduler.whenIdle();
  };
  await sync();
  const itemsOf = (personId: string, field: IdentityField) =>
    core.db
      .prepare('SELECT id, state, origin, school_value, new_value FROM review_items WHERE person_id = ? AND field = ? ORDER BY id')
      .all(personId, field) as { id: number; state: string; origin: string; school_value: string | null; new_value: string | null }[];
  return { core, directory, uai, call, sync, itemsOf, writeExport };
}

/** Sets a directory account's field as the guardian would in EduConnect (a new record version on the feed). */
function setAccount(directory: DemoDirectory, uai: string, personId: string, patch: Partial<AccountData>): void {
  directory.store.transaction(() => {
    const account = directory.store.getLive(uai, 'account', accountId(personId))!;
    directory.store.put(uai, 'account', accountId(personId), { ...account.data, ...patch });
  });
}

function addChange(directory: DemoDirectory, uai: string, id: string, data: Omit<IdentityChangeData, 'uai' | 'status'>): void {
  directory.store.transaction(() => {
    directory.store.put(uai, 'identityChange', id, { ...data, uai, status: 'open' } as IdentityChangeData);
  });
}

const NEW_VALUE: Record<IdentityField, (old: string | null) => string> = {
  lastName: (old) => (old ?? 'Martin').toUpperCase(),
  usageName: () => 'Castelnau',
  firstName: (old) => `${old ?? 'Anne'}-Marie`,
  firstName2: () => 'Claude',
  birthDate: () => '1979-02-03',
  sex: () => 'F',
  birthCity: () => 'Toulouse',
  email: (old) => `nouvelle.${(old ?? 'x').replace(/@.*/, '')}@laposte.net`,
  mobile: () => '07 11 22 33 44',
};

describe('review round trips', () => {
  it('does not re-queue the opposite of accepted contact changes (seed 31, 60 days on)', { timeout: 120_000 }, async () => {
    const t = await setup({ seed: 31, pupils: 1500, advanceDays: 60 });
    const pending = (await t.call('review.list', { uai: t.uai, state: 'pending', personKind: 'guardian', limit: 500 }, origin)).items
      .filter((i) => i.field === 'email' || i.field === 'mobile');
    // The changes generated with the academy and those of the simulated 60 days alike.
    expect(pending.filter((i) => i.field === 'email').length).toBeGreaterThan(0);
    expect(pending.filter((i) => i.field === 'mobile').length).toBeGreaterThan(0);
    for (const item of pending) await t.call('review.decide', { id: item.id, decision: 'accept' }, origin);
    await t.sync();
    await t.sync();
    for (const item of pending) {
      const others = t.itemsOf(item.personId, item.field).filter((r) => r.id !== item.id && r.state !== 'superseded');
      expect(others, `${item.personId} ${item.field}`).toEqual([]);
      expect(schoolValue(t.core.db, 'guardian', item.personId, item.field)).toBe(item.newValue);
    }
  });

  it('decide → sync → sync again leaves every field and decision settled, until the directory changes it again', { timeout: 120_000 }, async () => {
    const t = await setup({ seed: 12, pupils: 200 });
    const fields = IdentityFields.options;
    const decisions = ['accept', 'reject', 'defer'] as const;
    const guardians = t.core.db
      .prepare(
        `SELECT g.id, g.data FROM dir_guardians g JOIN dir_accounts a ON a.person_id = g.id AND a.deleted = 0
         WHERE g.uai = ? AND g.deleted = 0 AND NOT EXISTS (SELECT 1 FROM review_items r WHERE r.person_id = g.id)
         ORDER BY g.id LIMIT ?`,
      )
      .all(t.uai, fields.length * decisions.length) as { id: string; data: string }[];
    expect(guardians).toHaveLength(fields.length * decisions.length);

    const cases = fields.flatMap((field, f) =>
      decisions.map((decision, d) => {
        const guardian = guardians[f * decisions.length + d]!;
        const previous = ((JSON.parse(guardian.data) as Record<string, string | null>)[field] ?? null);
        return { field, decision, personId: guardian.id, previous, next: NEW_VALUE[field](previous) };
      }),
    );
    cases.forEach((c, i) => {
      const contact = c.field === 'email' || c.field === 'mobile';
      // A contact changed by the guardian in EduConnect: the account holds it; half of them announced by the
      // directory as well, half seen only on the account (the app's "contact" items).
      if (contact) setAccount(t.directory, t.uai, c.personId, { [c.field]: c.next, [`${c.field}Confirmed`]: true });
      if (!contact || i % 2 === 0) {
        addChange(t.directory, t.uai, `chg-rt-${i}`, {
          personKind: 'guardian', personId: c.personId, field: c.field, previousValue: c.previous, newValue: c.next,
          source: contact ? 'self_service' : 'franceconnect', detectedAt: `2025-09-${String(10 + (i % 18)).padStart(2, '0')}T08:00:00Z`,
        });
      }
    });
    await t.sync();

    const decided = new Map<string, number>();
    for (const c of cases) {
      const open = t.itemsOf(c.personId, c.field).filter((r) => r.state === 'pending');
      expect(open, `${c.field} ${c.decision}`).toHaveLength(1);
      await t.call('review.decide', { id: open[0]!.id, decision: c.decision, reason: c.decision === 'reject' ? 'Fiche à jour' : undefined }, origin);
      decided.set(`${c.personId}/${c.field}`, open[0]!.id);
    }
    await t.sync();
    await t.sync();

    for (const c of cases) {
      const rows = t.itemsOf(c.personId, c.field);
      const label = `${c.field} ${c.decision}`;
      expect(rows.map((r) => r.id), label).toEqual([decided.get(`${c.personId}/${c.field}`)]);
      expect(rows[0]!.state, label).toBe({ accept: 'accepted', reject: 'rejected', defer: 'deferred' }[c.decision]);
      expect(schoolValue(t.core.db, 'guardian', c.personId, c.field), label).toBe(c.decision === 'accept' ? c.next : c.previous);
    }

    // The directory really changes a contact again: one new item, against the value the school now holds.
    const email = cases.find((c) => c.field === 'email' && c.decision === 'accept')!;
    setAccount(t.directory, t.uai, email.personId, { email: 'encore.une.autre@free.fr' });
    await t.sync();
    const after = t.itemsOf(email.personId, 'email');
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ state: 'pending', origin: 'contact', school_value: email.next, new_value: 'encore.une.autre@free.fr' });
  });

  it('import differences: decide → sync → sync again → re-import the same files changes nothing, until the school base or the directory really changes', { timeout: 120_000 }, async () => {
    const t = await setup({ seed: 14, pupils: 200 });
    const decisions = ['accept', 'reject', 'defer'] as const;
    const base = fromDemoDirectory(t.directory.store, t.uai);
    const account = (personId: string) => {
      const raw = t.core.db.prepare('SELECT data FROM dir_accounts WHERE person_id = ? AND deleted = 0').pluck().get(personId) as string | undefined;
      return raw === undefined ? null : (JSON.parse(raw) as AccountData);
    };
    const idOf = (kind: 'pupil' | 'guardian', sourceId: string) =>
      t.core.db.prepare(`SELECT id FROM ${kind === 'pupil' ? 'dir_pupils' : 'dir_guardians'} WHERE source_siecle = ?`).pluck().get(sourceId) as string;
    // Persons with nothing in the queue yet; guardians with an account holding both an email and a mobile.
    const quiet = (kind: 'pupil' | 'guardian', sourceId: string) => {
      const id = idOf(kind, sourceId);
      return t.core.db.prepare('SELECT 1 FROM review_items WHERE person_id = ?').get(id) === undefined;
    };
    const guardians = base.persons.filter((p) => {
      const a = account(idOf('guardian', p.personneId));
      return quiet('guardian', p.personneId) && a !== null && a.email !== null && a.mobile !== null;
    });
    const pupils = base.pupils.filter((p) => quiet('pupil', p.eleveId) && p.birthCity);
    const SCHOOL: Record<string, (old: string | null) => string> = {
      lastName: (old) => `${old ?? 'Martin'}-Saint`,
      usageName: () => 'Castelnau',
      firstName: (old) => `${old ?? 'Anne'}-Marie`,
      email: () => 'ecole.fiche@ac-toulouse.fr',
      mobile: () => '07 44 55 66 77',
      firstName2: (old) => (old === 'Claude' ? 'Claudine' : 'Claude'),
      birthDate: (old) => (old === '2011-02-03' ? '2011-02-04' : '2011-02-03'),
      sex: (old) => (old === 'M' ? 'F' : 'M'),
      birthCity: (old) => (old === 'Perpignan' ? 'Montpellier' : 'Perpignan'),
    };
    type Case = { kind: 'pupil' | 'guardian'; personId: string; field: IdentityField; decision: (typeof decisions)[number]; school: string; directory: string | null };
    const cases: Case[] = [];
    const guardianFields = ['lastName', 'usageName', 'firstName', 'email', 'mobile'] as const;
    const pupilFields = ['firstName2', 'birthDate', 'sex', 'birthCity'] as const;
    guardianFields.forEach((field, f) => decisions.forEach((decision, d) => {
      const person = guardians[f * decisions.length + d]!;
      const personId = idOf('guardian', person.personneId);
      const directory = field === 'email' || field === 'mobile' ? account(personId)![field] : ((person[field] as string | null) ?? null);
      const school = SCHOOL[field]!(directory);
      (person as unknown as Record<string, string>)[field] = school;
      cases.push({ kind: 'guardian', personId, field, decision, school, directory });
    }));
    pupilFields.forEach((field, f) => decisions.forEach((decision, d) => {
      const pupil = pupils[f * decisions.length + d]!;
      const directory = (pupil[field] as string | null) ?? null;
      const school = SCHOOL[field]!(directory);
      (pupil as unknown as Record<string, string>)[field] = school;
      cases.push({ kind: 'pupil', personId: idOf('pupil', pupil.eleveId), field, decision, school, directory });
    }));
    const files = t.writeExport(base);
    const preview = await t.call('imports.preview', { uai: t.uai, files }, origin);
    expect(preview.counts.differences).toBe(cases.length);
    await t.call('imports.apply', { previewId: preview.previewId }, origin);

    const decided = new Map<string, number>();
    for (const c of cases) {
      const open = t.itemsOf(c.personId, c.field).filter((r) => r.state === 'pending');
      expect(open.map((r) => [r.origin, r.school_value]), `${c.kind} ${c.field}`).toEqual([['import', c.school]]);
      await t.call('review.decide', { id: open[0]!.id, decision: c.decision, reason: c.decision === 'reject' ? 'La fiche est juste' : undefined }, origin);
      decided.set(`${c.personId}/${c.field}`, open[0]!.id);
    }
    await t.sync();
    await t.sync();
    // The same SIECLE export again (SIECLE not updated yet): nothing new, and accepted values stay accepted.
    const again = await t.call('imports.preview', { uai: t.uai, files }, origin);
    expect(again.counts).toMatchObject({ differences: 0, changed: 0, new: 0 });
    await t.call('imports.apply', { previewId: again.previewId }, origin);
    await t.sync();

    for (const c of cases) {
      const rows = t.itemsOf(c.personId, c.field);
      const label = `${c.kind} ${c.field} ${c.decision}`;
      expect(rows.map((r) => r.id), label).toEqual([decided.get(`${c.personId}/${c.field}`)]);
      expect(rows[0]!.state, label).toBe({ accept: 'accepted', reject: 'rejected', defer: 'deferred' }[c.decision]);
      const kept = schoolValue(t.core.db, c.kind, c.personId, c.field);
      if (c.decision === 'accept') expect(kept === c.directory || (c.field === 'mobile' && kept?.replace(/\D/g, '').endsWith(c.directory!.replace(/\D/g, '').slice(-9))), label).toBe(true);
      else expect(kept, label).toBe(c.school);
    }

    // The school base really changes (SIECLE holds another first name now): one new item.
    const accepted = cases.find((c) => c.kind === 'guardian' && c.field === 'firstName' && c.decision === 'accept')!;
    const person = base.persons.find((p) => idOf('guardian', p.personneId) === accepted.personId)!;
    person.firstName = 'Marie-Paule';
    const changed = await t.call('imports.preview', { uai: t.uai, files: t.writeExport(base) }, origin);
    expect(changed.counts.differences).toBe(1);
    await t.call('imports.apply', { previewId: changed.previewId }, origin);
    expect(t.itemsOf(accepted.personId, 'firstName').map((r) => [r.state, r.school_value])).toEqual([
      ['accepted', accepted.school],
      ['pending', 'Marie-Paule'],
    ]);

    // The directory really changes a field the head rejected: the same files bring one new item.
    const rejected = cases.find((c) => c.kind === 'pupil' && c.field === 'birthCity' && c.decision === 'reject')!;
    t.directory.store.transaction(() => {
      const live = t.directory.store.getLive(t.uai, 'pupil', rejected.personId)!;
      t.directory.store.put(t.uai, 'pupil', rejected.personId, { ...live.data, birthCity: 'Montauban' });
    });
    await t.sync();
    const later = await t.call('imports.preview', { uai: t.uai, files: t.writeExport(base) }, origin);
    expect(later.counts.differences).toBe(1);
    await t.call('imports.apply', { previewId: later.previewId }, origin);
    expect(t.itemsOf(rejected.personId, 'birthCity').map((r) => [r.state, r.school_value, r.new_value])).toEqual([
      ['rejected', rejected.school, rejected.directory],
      ['pending', rejected.school, 'Montauban'],
    ]);
  });

  it('does not re-queue an accepted change when the directory announces it before its account catches up', { timeout: 60_000 }, async () => {
    const t = await setup({ seed: 13, pupils: 120 });
    const guardian = t.core.db
      .prepare(
        `SELECT g.id, json_extract(a.data, '$.mobile') AS mobile FROM dir_guardians g JOIN dir_accounts a ON a.person_id = g.id
         WHERE g.uai = ? AND json_extract(a.data, '$.mobile') IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM review_items r WHERE r.person_id = g.id) ORDER BY g.id LIMIT 1`,
      )
      .get(t.uai) as { id: string; mobile: string };
    addChange(t.directory, t.uai, 'chg-lag', {
      personKind: 'guardian', personId: guardian.id, field: 'mobile', previousValue: guardian.mobile, newValue: '06 98 76 54 32',
      source: 'self_service', detectedAt: '2025-09-30T08:00:00Z',
    });
    await t.sync();
    const [item] = t.itemsOf(guardian.id, 'mobile');
    await t.call('review.decide', { id: item!.id, decision: 'accept' }, origin);
    await t.sync();
    await t.sync();
    expect(t.itemsOf(guardian.id, 'mobile').map((r) => r.state)).toEqual(['accepted']);
  });
});
