/**
 * The list queries over the projection (text indexes with embedded facet keys, counts kept per facet key, both page
 * plans) against a brute-force reference computed here from acc_index's own rows: for random texts (prefixes,
 * substrings, accents, several terms), filters, sorts and offsets, the same total, the same rows in the same order,
 * and the same counts per filter value.
 */
import type { Database } from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFresh } from '../../electron/core/accounts/projection';
import { encodeFacetKey, facetPasses, facetPredicate } from '../../electron/core/accounts/facet-key';
import { facets, searchPage, type PagePlan } from '../../electron/core/accounts/query';
import { openDatabase } from '../../electron/core/db/database';
import { Mirror } from '../../electron/core/directory/mirror';
import { generateAcademy } from '../../electron/demo-directory/generate';
import { DirectoryStore } from '../../electron/demo-directory/store';
import type { AccountFilters, AccountSort } from '../../shared/api/methods/accounts';
import {
  ACCOUNT_STATE_VALUES,
  ATTENTION_KEYS,
  CONTACT_STATUSES,
  FAMILY_STATUSES,
  LEVELS,
  attentionFromMask,
  foldText,
  type AccountKind,
} from '../../shared/domain/accounts';
import type { GuardianData, RecordType } from '../../shared/directory/wire';
import { tempDir } from '../helpers/temp';

interface Row {
  row_id: number;
  kind: AccountKind;
  person_id: string;
  search: string;
  sort_name: string;
  login: string | null;
  state: string;
  division: string | null;
  activated_at: string | null;
  last_login_at: string | null;
  ine: string | null;
  family: string;
  email_status: string;
  mobile_status: string;
  attention: number;
  levels: number;
  facet_key: number;
  mefs: string[];
  divisions: string[];
}

let db: Database;
let uai: string;
let rows: Row[];
let dir: { path: string; remove(): void };
let words: string[];

beforeAll(async () => {
  dir = tempDir();
  const store = new DirectoryStore(':memory:');
  const { establishments } = generateAcademy(store, { seed: 5, establishments: 1, pupils: 250, today: '2026-03-02' });
  uai = establishments[0]!.uai;
  ({ db } = openDatabase(dir.path));
  const mirror = new Mirror(db);
  db.transaction(() => {
    for (const type of ['pupil', 'guardian', 'link', 'account'] as RecordType[]) {
      for (const r of store.liveRows(uai, type)) {
        // A few accented and hyphenated names, so that folding is exercised.
        const data = type === 'guardian' && r.id.endsWith('7') ? { ...(r.data as GuardianData), lastName: `Lefèvre-Œuvray ${(r.data as GuardianData).lastName}` } : r.data;
        mirror.write(uai, { type, id: r.id, version: r.version, seq: null, data: JSON.stringify(data) });
      }
    }
  })();
  store.close();
  await ensureFresh(db);
  rows = (db.prepare('SELECT * FROM acc_index WHERE uai = ?').all(uai) as Row[]).map((r) => {
    const groups = db.prepare('SELECT mef, division FROM acc_groups WHERE row_id = ?').all(r.row_id) as { mef: string; division: string }[];
    return { ...r, mefs: groups.map((g) => g.mef), divisions: groups.map((g) => g.division) };
  });
  words = [...new Set(rows.flatMap((r) => r.search.split(' ')))];
}, 60_000);

afterAll(() => {
  db?.close();
  dir?.remove();
});

const LEVEL_BIT = (l: string) => 1 << (LEVELS as readonly string[]).indexOf(l);

/** The reference: every filter and term tested on each row. */
function matches(r: Row, kind: AccountKind, filters: AccountFilters, text: string | undefined): boolean {
  const any = (values: readonly string[] | undefined, have: readonly (string | null)[]) =>
    !values || values.length === 0 || values.some((v) => have.includes(v));
  if (r.kind !== kind) return false;
  if (!any(filters.state, [r.state]) || !any(filters.family, [r.family])) return false;
  if (!any(filters.email, [r.email_status]) || !any(filters.mobile, [r.mobile_status])) return false;
  if (!any(filters.mef, r.mefs) || !any(filters.division, r.divisions)) return false;
  if (filters.level?.length && !filters.level.some((l) => (r.levels & LEVEL_BIT(l)) !== 0)) return false;
  if (!any(filters.attention, attentionFromMask(r.attention))) return false;
  for (const term of foldText(text).split(' ').filter(Boolean)) {
    const ok = term.length >= 3 ? r.search.includes(term) : r.search.startsWith(term) || r.search.includes(` ${term}`);
    if (!ok) return false;
  }
  return true;
}

const COLUMN: Record<AccountSort['field'], keyof Row> = {
  name: 'sort_name', login: 'login', state: 'state', division: 'division', activatedAt: 'activated_at', lastLoginAt: 'last_login_at', ine: 'ine',
};
const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

function referenceOrder(list: Row[], sort: AccountSort): Row[] {
  const column = COLUMN[sort.field];
  const dir = sort.direction === 'desc' ? -1 : 1;
  return [...list].sort((a, b) => {
    if (sort.field === 'name') return dir * (cmp(a.sort_name, b.sort_name) || cmp(a.row_id, b.row_id));
    const [x, y] = [a[column] as string | null, b[column] as string | null];
    if ((x === null) !== (y === null)) return x === null ? 1 : -1;
    return (x === null || y === null ? 0 : dir * cmp(x, y)) || cmp(a.sort_name, b.sort_name) || cmp(a.row_id, b.row_id);
  });
}

const subset = <T>(values: readonly T[]) => fc.subarray([...values], { minLength: 0, maxLength: 2 });

/** A text of one to three terms: word prefixes, substrings, random letters, in any case and with accents. */
const textArb = () =>
  fc
    .array(
      fc.oneof(
        fc.tuple(fc.constantFrom(...words), fc.nat(), fc.integer({ min: 1, max: 6 })).map(([w, start, len]) => w.slice(start % w.length, (start % w.length) + len)),
        fc.tuple(fc.constantFrom(...words), fc.integer({ min: 1, max: 2 })).map(([w, len]) => w.slice(0, len)),
        fc.stringMatching(/^[a-zéèœ]{1,4}$/),
      ),
      { minLength: 0, maxLength: 3 },
    )
    .map((terms) => terms.map((t, i) => (i % 2 ? t.toUpperCase() : t.replace(/e/g, 'é'))).join(' '));

const queryArb = () => {
  const divisions = [...new Set(rows.flatMap((r) => r.divisions))].sort();
  const mefs = [...new Set(rows.flatMap((r) => r.mefs))].sort();
  return fc.record({
    kind: fc.constantFrom<AccountKind>('pupil', 'guardian'),
    text: fc.option(textArb(), { nil: undefined }),
    filters: fc.record(
      {
        state: subset(ACCOUNT_STATE_VALUES),
        family: subset(FAMILY_STATUSES),
        email: subset(CONTACT_STATUSES),
        mobile: subset(CONTACT_STATUSES),
        level: subset(LEVELS),
        attention: subset(ATTENTION_KEYS),
        division: fc.constantFrom<string[]>([], [divisions[0]!], [divisions[1]!, divisions[2]!], [divisions[3]!, 'ZZZ']),
        mef: fc.constantFrom<string[]>([], [mefs[0]!], [mefs[1]!, mefs[2] ?? mefs[0]!]),
      },
      { requiredKeys: [] },
    ),
    sort: fc.record({
      field: fc.constantFrom<AccountSort['field']>('name', 'login', 'state', 'division', 'activatedAt', 'lastLoginAt', 'ine'),
      direction: fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
    }),
    offset: fc.constantFrom(0, 0, 7, 40),
    limit: fc.constantFrom(5, 25, 500),
  });
};

/** Any facet key a row can have (every value of each field, any attention and levels masks). */
const validKey = fc
  .record({
    state: fc.constantFrom(...ACCOUNT_STATE_VALUES),
    family: fc.constantFrom(...FAMILY_STATUSES),
    email: fc.constantFrom(...CONTACT_STATUSES),
    mobile: fc.constantFrom(...CONTACT_STATUSES),
    attention: fc.integer({ min: 0, max: 255 }),
    levels: fc.integer({ min: 0, max: 15 }),
  })
  .map(encodeFacetKey);

describe('account list queries against a brute-force reference', () => {
  it('pages and totals, both page plans, random text, filters and sorts', () => {
    fc.assert(
      fc.property(queryArb(), fc.constantFrom<PagePlan>('auto', 'lookup', 'scan'), (q, plan) => {
        const expected = referenceOrder(rows.filter((r) => matches(r, q.kind, q.filters, q.text)), q.sort);
        const page = searchPage(db, { ...q, uai }, plan);
        expect(page.total).toBe(expected.length);
        expect(page.rows.map((r) => r.id)).toEqual(expected.slice(q.offset, q.offset + q.limit).map((r) => r.person_id));
      }),
      { numRuns: 300 },
    );
  });

  it('counts per filter value, each with the other filters and the text applied', () => {
    fc.assert(
      fc.property(queryArb(), (q) => {
        const f = facets(db, { kind: q.kind, uai, text: q.text, filters: q.filters });
        const count = (field: keyof AccountFilters, value: string) =>
          rows.filter((r) => matches(r, q.kind, { ...q.filters, [field]: [value] }, q.text)).length;
        expect(f.total).toBe(rows.filter((r) => matches(r, q.kind, q.filters, q.text)).length);
        for (const field of ['state', 'family', 'email', 'mobile', 'level', 'mef', 'division'] as const) {
          const values = [...new Set(rows.filter((r) => r.kind === q.kind).flatMap((r) => {
            const v = { state: [r.state], family: [r.family], email: [r.email_status], mobile: [r.mobile_status], mef: r.mefs, division: r.divisions,
              level: LEVELS.filter((l) => (r.levels & LEVEL_BIT(l)) !== 0) }[field];
            return v;
          }))];
          const expected = values.map((value) => ({ value, count: count(field, value) })).filter((c) => c.count > 0);
          expect(f[field], field).toEqual(expected.sort((a, b) => cmp(a.value, b.value)));
        }
        for (const { value, count: n } of f.attention) expect(n, value).toBe(count('attention', value));
      }),
      { numRuns: 120 },
    );
  });

  it('the facet key bit tests (SQL) agree with their JS twin on every key', () => {
    fc.assert(
      fc.property(queryArb(), validKey, (q, key) => {
        const predicate = facetPredicate('k', q.filters);
        const inSql = db.prepare(`WITH t(k) AS (SELECT ?) SELECT ${predicate.sql} FROM t`).pluck().get(key, ...predicate.params) === 1;
        expect(inSql).toBe(facetPasses(key, q.filters));
      }),
      { numRuns: 300 },
    );
  });
});
