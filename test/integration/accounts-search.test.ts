/**
 * accounts.search / facets / ids / attention against a brute-force reference computed here, in plain JS, from the
 * raw records of the mirror after a real sync with the demo directory.
 */
import type { Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountFacets, AccountFilters, AccountRow } from '../../shared/api/methods/accounts';
import {
  ATTENTION_KEYS,
  foldText,
  type AttentionKey,
} from '../../shared/domain/accounts';
import { isValidEmail, isValidFrenchMobile, isValidIne, mefLevel } from '../../shared/domain/identifiers';
import type { AccountData, GuardianData, LinkData, PupilData } from '../../shared/directory/wire';
import { openAccountsEnv, type AccountsEnv } from './accounts-helpers';

interface RefRow {
  id: string;
  kind: 'pupil' | 'guardian';
  state: string;
  family: string;
  email: string;
  mobile: string;
  mefs: string[];
  divisions: string[];
  levels: string[];
  attention: Set<AttentionKey>;
  names: string;
  ine: string | null;
  login: string | null;
  sortName: string;
}

function live<T>(db: Database, table: string, uai: string): { id: string; data: T }[] {
  return (db.prepare(`SELECT id, data FROM ${table} WHERE uai = ? AND deleted = 0`).all(uai) as { id: string; data: string }[]).map((r) => ({
    id: r.id,
    data: JSON.parse(r.data) as T,
  }));
}

const filled = (v: string | null | undefined) => typeof v === 'string' && v.trim() !== '';
const status = (v: string | null | undefined, confirmed: boolean | undefined) => (!filled(v) ? 'none' : confirmed ? 'confirmed' : 'unconfirmed');

/** The reference: nested loops over the raw records, no projection, no SQL beyond reading the rows. */
function reference(db: Database, uai: string): RefRow[] {
  const pupils = live<PupilData>(db, 'dir_pupils', uai);
  const guardians = live<GuardianData>(db, 'dir_guardians', uai);
  const links = live<LinkData>(db, 'dir_links', uai);
  const accounts = live<AccountData>(db, 'dir_accounts', uai);
  const accountOf = (kind: string, id: string) => accounts.find((a) => a.data.personKind === kind && a.data.personId === id)?.data;
  const legalOf = (pupilId: string) =>
    links.filter((l) => l.data.pupilId === pupilId && l.data.level === 1 && guardians.some((g) => g.id === l.data.guardianId)).map((l) => l.data.guardianId);
  const familyOf = (ids: string[]) => {
    const unique = [...new Set(ids)];
    const on = unique.filter((id) => ['active', 'bloque'].includes(accountOf('guardian', id)?.state ?? '')).length;
    return on === 0 ? 'none' : on === unique.length ? 'all' : 'some';
  };
  // « Courrier expiré sans activation »: notified, and the letter's end is past (the real clock, like the lists').
  const expired = (a: AccountData | undefined) => a?.state === 'notifie' && !!a.letterExpiresAt && new Date(a.letterExpiresAt).getTime() <= Date.now();
  const out: RefRow[] = [];
  for (const p of pupils) {
    const a = accountOf('pupil', p.id);
    const legal = legalOf(p.id);
    const family = familyOf(legal);
    const attention = new Set<AttentionKey>();
    if (filled(p.data.email) && !isValidEmail(p.data.email!.trim())) attention.add('invalidEmail');
    const ownValid = [p.data.email, a?.email].some((e) => filled(e) && isValidEmail(e!.trim()));
    const guardianValid = legal.some((g) => {
      const e = guardians.find((x) => x.id === g)!.data.email;
      return filled(e) && isValidEmail(e!.trim());
    });
    if (!ownValid && !guardianValid) attention.add('pupilNoRecoveryEmail');
    if (!isValidIne(p.data.ine)) attention.add('invalidIne');
    if (family === 'none') attention.add('familyNoActivated');
    if (expired(a)) attention.add('letterExpired');
    const email = a ? a.email : p.data.email;
    out.push({
      id: p.id,
      kind: 'pupil',
      state: a?.state ?? 'none',
      family,
      email: status(email, a?.emailConfirmed),
      mobile: status(a?.mobile, a?.mobileConfirmed),
      mefs: [p.data.mef],
      divisions: [p.data.division],
      levels: [mefLevel(p.data.mef) ?? 'autre'],
      attention,
      names: [p.data.lastName, p.data.usageName, p.data.firstName, p.data.firstName2].filter(Boolean).join(' '),
      ine: p.data.ine,
      login: a?.login ?? null,
      sortName: `${foldText(p.data.usageName || p.data.lastName)}\u0001${foldText(p.data.firstName)}`,
    });
  }
  const legalIds = new Set(links.filter((l) => l.data.level === 1).map((l) => l.data.guardianId));
  for (const g of guardians) {
    const a = accountOf('guardian', g.id);
    if (!legalIds.has(g.id) && !a) continue;
    const children = links.filter((l) => l.data.guardianId === g.id && pupils.some((p) => p.id === l.data.pupilId)).map((l) => l.data.pupilId);
    const family = familyOf(children.flatMap(legalOf));
    const attention = new Set<AttentionKey>();
    const d = g.data;
    if (!filled(d.mobile)) attention.add('guardianNoMobile');
    if (filled(d.mobile) && !isValidFrenchMobile(d.mobile!)) attention.add('invalidMobile');
    if (filled(d.email) && !isValidEmail(d.email!.trim())) attention.add('invalidEmail');
    if (legalIds.has(g.id) && ![d.email, d.mobile, d.phoneHome, d.phoneWork].some(filled)) attention.add('guardianNoContact');
    const twin = guardians.some(
      (o) =>
        o.id !== g.id &&
        (legalIds.has(o.id) || accountOf('guardian', o.id)) &&
        foldText(o.data.lastName) === foldText(d.lastName) &&
        foldText(o.data.firstName) === foldText(d.firstName) &&
        (o.data.birthDate === null || d.birthDate === null || o.data.birthDate === d.birthDate),
    );
    if (twin) attention.add('duplicateGuardian');
    if (family === 'none') attention.add('familyNoActivated');
    if (expired(a)) attention.add('letterExpired');
    const childRecords = pupils.filter((p) => children.includes(p.id));
    out.push({
      id: g.id,
      kind: 'guardian',
      state: a?.state ?? 'none',
      family,
      email: status(a ? a.email : d.email, a?.emailConfirmed),
      mobile: status(a ? a.mobile : d.mobile, a?.mobileConfirmed),
      mefs: childRecords.map((p) => p.data.mef),
      divisions: childRecords.map((p) => p.data.division),
      levels: childRecords.map((p) => mefLevel(p.data.mef) ?? 'autre'),
      attention,
      names: [d.lastName, d.usageName, d.firstName].filter(Boolean).join(' '),
      ine: null,
      login: a?.login ?? null,
      sortName: `${foldText(d.usageName || d.lastName)}\u0001${foldText(d.firstName)}`,
    });
  }
  return out;
}

function matches(r: RefRow, filters: AccountFilters, text?: string): boolean {
  const any = (values: string[] | undefined, have: string[]) => !values || values.length === 0 || values.some((v) => have.includes(v));
  if (!any(filters.state, [r.state])) return false;
  if (!any(filters.family, [r.family])) return false;
  if (!any(filters.email, [r.email])) return false;
  if (!any(filters.mobile, [r.mobile])) return false;
  if (!any(filters.mef, r.mefs)) return false;
  if (!any(filters.division, r.divisions)) return false;
  if (!any(filters.level, r.levels)) return false;
  if (!any(filters.attention, [...r.attention])) return false;
  if (text) {
    const hay = foldText([r.names, r.ine, r.login].filter(Boolean).join(' '));
    for (const term of foldText(text).split(' ').filter(Boolean)) {
      // Terms of one or two characters match the start of a word; longer ones anywhere.
      const ok = term.length >= 3 ? hay.includes(term) : hay.startsWith(term) || hay.includes(` ${term}`);
      if (!ok) return false;
    }
  }
  return true;
}

let env: AccountsEnv;
let uai: string;
let ref: RefRow[];

async function allIds(kind: 'pupil' | 'guardian', filters: AccountFilters, text?: string): Promise<string[]> {
  const ids: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await env.call<{ total: number; rows: AccountRow[] }>('accounts.search', { kind, uai, filters, text, offset, limit: 500 });
    ids.push(...page.rows.map((r) => r.id));
    if (page.rows.length < 500) {
      expect(ids.length).toBe(page.total);
      return ids;
    }
  }
}

const refIds = (kind: 'pupil' | 'guardian', filters: AccountFilters, text?: string) =>
  ref.filter((r) => r.kind === kind && matches(r, filters, text)).map((r) => r.id);

beforeAll(async () => {
  env = await openAccountsEnv({ pupils: 300 });
  uai = env.uais[0]!;
  ref = reference(env.db, uai);
}, 60_000);

afterAll(async () => {
  await env?.close();
});

describe('accounts.search against a brute-force reference', () => {
  it('lists every pupil and every guardian with an account or a legal responsibility', async () => {
    for (const kind of ['pupil', 'guardian'] as const) {
      const ids = await allIds(kind, {});
      expect(ids.sort()).toEqual(refIds(kind, {}).sort());
    }
  });

  const single: [keyof AccountFilters, string[]][] = [
    ['state', ['non_notifie']],
    ['state', ['notifie']],
    ['state', ['active']],
    ['state', ['bloque']],
    ['state', ['desactive', 'supprime']],
    ['family', ['none']],
    ['family', ['some']],
    ['family', ['all']],
    ['email', ['none']],
    ['email', ['unconfirmed']],
    ['email', ['confirmed']],
    ['mobile', ['none']],
    ['mobile', ['unconfirmed']],
    ['mobile', ['confirmed']],
    ['level', ['college']],
    ['level', ['lycee']],
    ...ATTENTION_KEYS.map((k): [keyof AccountFilters, string[]] => ['attention', [k]]),
    ['attention', ['invalidEmail', 'invalidMobile']],
  ];

  it.each(single)('filter %s = %j (both lists)', async (field, values) => {
    for (const kind of ['pupil', 'guardian'] as const) {
      const filters = { [field]: values } as AccountFilters;
      expect((await allIds(kind, filters)).sort(), `${kind}`).toEqual(refIds(kind, filters).sort());
    }
  });

  it('MEF and classe filters, for pupils and for the guardians of their children', async () => {
    const pupil = ref.find((r) => r.kind === 'pupil')!;
    for (const kind of ['pupil', 'guardian'] as const) {
      for (const filters of [{ mef: [pupil.mefs[0]!] }, { division: [pupil.divisions[0]!] }, { division: [pupil.divisions[0]!, 'ZZZ'] }]) {
        const expected = refIds(kind, filters);
        expect(expected.length).toBeGreaterThan(0);
        expect((await allIds(kind, filters)).sort()).toEqual(expected.sort());
      }
    }
  });

  it('combinations of filters and text', async () => {
    const divisions = [...new Set(ref.flatMap((r) => r.divisions))].sort();
    const combos: AccountFilters[] = [
      { state: ['active', 'bloque'], email: ['confirmed'] },
      { family: ['some', 'none'], mobile: ['none', 'unconfirmed'] },
      { division: divisions.slice(0, 3), state: ['notifie'] },
      { attention: ['familyNoActivated'], email: ['none'] },
      { level: ['college', 'lycee'], family: ['all'], mobile: ['confirmed'] },
      { attention: ['guardianNoMobile', 'duplicateGuardian'], state: ['non_notifie', 'notifie'] },
    ];
    let nonEmpty = 0;
    for (const kind of ['pupil', 'guardian'] as const) {
      for (const filters of combos) {
        const expected = refIds(kind, filters);
        if (expected.length > 0) nonEmpty++;
        expect((await allIds(kind, filters)).sort(), JSON.stringify([kind, filters])).toEqual(expected.sort());
        expect((await allIds(kind, filters, 'ma')).sort()).toEqual(refIds(kind, filters, 'ma').sort());
      }
    }
    expect(nonEmpty).toBeGreaterThan(6);
  });

  it('finds names without accents or case, by prefix and substring; INE and login', async () => {
    const accented = ref.find((r) => r.kind === 'guardian' && /[éèêëïîôàç]/i.test(r.names));
    expect(accented, 'the demo data has accented guardian names').toBeDefined();
    const word = accented!.names.split(/[\s-]+/).find((w) => /[éèêëïîôàç]/i.test(w))!;
    const plain = word.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
    for (const text of [plain, plain.slice(1, -1), plain.slice(0, 2).toLowerCase()]) {
      const got = await allIds('guardian', {}, text);
      expect(got).toContain(accented!.id);
      expect(got.sort()).toEqual(refIds('guardian', {}, text).sort());
    }
    const pupil = ref.find((r) => r.kind === 'pupil' && r.login)!;
    expect(await allIds('pupil', {}, pupil.ine!)).toEqual([pupil.id]);
    expect(await allIds('pupil', {}, pupil.ine!.slice(2, 9))).toContain(pupil.id);
    expect(await allIds('pupil', {}, pupil.login!)).toEqual([pupil.id]);
    expect(await allIds('pupil', {}, 'zzqqxx')).toEqual([]);
    // LIKE wildcards are taken literally.
    expect((await allIds('pupil', {}, '%_')).sort()).toEqual(refIds('pupil', {}, '%_').sort());
  });

  it('sorts by name ignoring accents and by activation date, nulls last, pages without overlap', async () => {
    const page1 = await env.call<{ rows: AccountRow[] }>('accounts.search', { kind: 'guardian', uai, offset: 0, limit: 40 });
    const page2 = await env.call<{ rows: AccountRow[] }>('accounts.search', { kind: 'guardian', uai, offset: 40, limit: 40 });
    const names = [...page1.rows, ...page2.rows].map((r) => ref.find((x) => x.id === r.id)!.sortName);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set([...page1.rows, ...page2.rows].map((r) => r.id)).size).toBe(80);
    const byDate = await env.call<{ rows: AccountRow[] }>('accounts.search', {
      kind: 'pupil', uai, sort: { field: 'activatedAt', direction: 'desc' }, limit: 500,
    });
    const dates = byDate.rows.map((r) => r.activatedAt);
    const firstNull = dates.indexOf(null);
    const set = dates.slice(0, firstNull === -1 ? undefined : firstNull) as string[];
    expect(set).toEqual([...set].sort().reverse());
    if (firstNull !== -1) expect(dates.slice(firstNull).every((d) => d === null)).toBe(true);
  });

  it('facets count each value with the other filters applied', async () => {
    for (const kind of ['pupil', 'guardian'] as const) {
      const filters: AccountFilters =
        kind === 'pupil' ? { state: ['active'], family: ['some', 'all'] } : { state: ['active'], email: ['confirmed', 'unconfirmed'] };
      const f = await env.call<AccountFacets>('accounts.facets', { kind, uai, filters });
      expect(f.total).toBe(refIds(kind, filters).length);
      const countOf = (list: { value: string; count: number }[], value: string) => list.find((x) => x.value === value)?.count ?? 0;
      for (const state of ['active', 'notifie', 'bloque']) {
        expect(countOf(f.state, state)).toBe(refIds(kind, { ...filters, state: [state as 'active'] }).length);
      }
      for (const email of ['none', 'confirmed']) {
        expect(countOf(f.email, email)).toBe(refIds(kind, { ...filters, email: [email as 'none'] }).length);
      }
      for (const family of ['none', 'some', 'all']) {
        expect(countOf(f.family, family)).toBe(refIds(kind, { ...filters, family: [family as 'none'] }).length);
      }
      for (const { value, count } of f.division) expect(count).toBe(refIds(kind, { ...filters, division: [value] }).length);
      for (const { value, count } of f.attention) expect(count).toBe(refIds(kind, { ...filters, attention: [value as AttentionKey] }).length);
      expect(f.division.length).toBeGreaterThan(0);
    }
  });

  it('facets with MEF, classe and level filters count each value with the other filters applied', async () => {
    const pupil = ref.find((r) => r.kind === 'pupil')!;
    for (const kind of ['pupil', 'guardian'] as const) {
      const filters: AccountFilters = { mef: [pupil.mefs[0]!], division: [pupil.divisions[0]!, 'ZZZ'], level: ['college', 'lycee'], state: ['active', 'notifie'] };
      const f = await env.call<AccountFacets>('accounts.facets', { kind, uai, filters, text: 'ma' });
      expect(f.total).toBe(refIds(kind, filters, 'ma').length);
      for (const field of ['mef', 'division', 'level', 'state'] as const) {
        for (const { value, count } of f[field]) expect(count, `${kind} ${field} ${value}`).toBe(refIds(kind, { ...filters, [field]: [value] }, 'ma').length);
      }
      const all = await env.call<AccountFacets>('accounts.facets', { kind, uai, filters: { division: [pupil.divisions[0]!] }, text: 'mar' });
      for (const { value, count } of all.mef) expect(count).toBe(refIds(kind, { division: [pupil.divisions[0]!], mef: [value] }, 'mar').length);
    }
  });

  it('attention summary and ids of a whole selection', async () => {
    const summary = await env.call<{ key: AttentionKey; kind: 'pupil' | 'guardian'; count: number }[]>('accounts.attention', { uai });
    for (const { key, kind, count } of summary) expect(count, `${kind} ${key}`).toBe(refIds(kind, { attention: [key] }).length);
    expect(summary.some((s) => s.count > 0)).toBe(true);
    const { total, ids } = await env.call<{ total: number; ids: string[] }>('accounts.ids', { kind: 'guardian', uai, filters: { state: ['notifie'] } });
    expect(total).toBe(ids.length);
    expect(ids.sort()).toEqual(refIds('guardian', { state: ['notifie'] }).sort());
  });

  it('refuses bad input with a French message', async () => {
    await expect(env.call('accounts.search', { kind: 'parent', uai })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(env.call('accounts.search', { kind: 'pupil', uai: '123' })).rejects.toMatchObject({ message: expect.stringContaining('UAI invalide') });
  });
});
