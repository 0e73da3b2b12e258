/**
 * SQL over the account projection: a page of a list (text, filters, sort), its count, the counts per filter value,
 * the points d'attention and the ids of a whole selection. Values are always bound, never spliced.
 *
 * How a list is read (see migration 006):
 * - a count without text nor MEF/classe filter is a sum over acc_facet_counts (a few hundred facet keys per list);
 * - text goes to the text indexes, whose row ids carry the list (a rowid range) and the facet key (bit tests): a text
 *   count never reads acc_index; terms of 3 characters or more are trigram phrases (substrings), shorter ones word
 *   prefixes (acc_words);
 * - MEF/classe filters are sets of row ids from acc_groups;
 * - a page either scans the sort order's index (which carries the facet key) and stops once the page is full, or,
 *   when few rows match, reads those rows and sorts them: whichever reads fewer entries.
 */
import type { Database } from 'better-sqlite3';
import type { AccountFacets, AccountFilters, AccountQuery, AccountRow, AccountSort } from '../../../shared/api/methods/accounts';
import { decodeFacetKey, facetPredicate, levelMask, type Clause } from './facet-key';
import { ALL_KEYS, scopeOf, scopeRange, TEXT_FACET_SQL, TEXT_ROW_SQL } from './projection';
import { SORT_INDEXES } from './schema';
import {
  ACCOUNT_KINDS,
  ATTENTION_KEYS,
  ATTENTION_KIND,
  LEVELS,
  attentionBit,
  attentionFromMask,
  maskFromAttention,
  searchTerms,
  type AccountKind,
  type AttentionKey,
} from '../../../shared/domain/accounts';

type ListQuery = Pick<AccountQuery, 'kind' | 'uai' | 'text' | 'filters'>;
type GroupField = 'mef' | 'division';

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');
const join = (clauses: Clause[], glue = ' AND '): Clause => ({
  sql: clauses.map((c) => c.sql).join(glue),
  params: clauses.flatMap((c) => c.params),
});

/** The facet key and the acc_index row id embedded in a text index row id. */
const TEXT_FACET = TEXT_FACET_SQL;
const TEXT_ROW = TEXT_ROW_SQL;

/**
 * The text indexes' rows matching every term, in one list: `SELECT … FROM acc_fts|acc_words WHERE …` (the caller
 * adds its own terms on `rowid`). Terms of 3 characters or more match anywhere (trigram phrase = substring), shorter
 * ones the start of a word (word prefix). Null without terms.
 */
function textSource(scope: number, text: string | undefined): { from: string; where: Clause } | null {
  const terms = searchTerms(text);
  if (terms.length === 0) return null;
  // A folded term is letters and digits only: quoted, it is one FTS5 phrase whatever it holds.
  const long = terms.filter((t) => t.length >= 3).map((t) => `"${t}"`);
  const short = terms.filter((t) => t.length < 3).map((t) => `"${t}" *`);
  const [range, rangeParams] = scopeRange(scope);
  const words: Clause = { sql: `acc_words MATCH ? AND rowid ${range}`, params: [short.join(' AND '), ...rangeParams] };
  if (long.length === 0) return { from: 'acc_words', where: words };
  const where: Clause[] = [{ sql: `acc_fts MATCH ? AND rowid ${range}`, params: [long.join(' AND '), ...rangeParams] }];
  if (short.length > 0) where.push({ sql: `rowid IN (SELECT rowid FROM acc_words WHERE ${words.sql})`, params: words.params });
  return { from: 'acc_fts', where: join(where) };
}

/** The row ids of the list whose pupil (or one of the guardian's children) is in one of these MEFs or classes. */
function groupRows(query: ListQuery, field: GroupField, values: readonly string[], facet?: Clause): Clause {
  const onKey = facet && facet.sql !== '1' ? { sql: ` AND ${facet.sql}`, params: facet.params } : { sql: '', params: [] };
  return {
    sql: `SELECT row_id FROM acc_groups WHERE uai = ? AND kind = ? AND ${field} IN (${placeholders(values.length)}) AND ${field}_first = 1${onKey.sql}`,
    params: [query.uai, query.kind, ...values, ...onKey.params],
  };
}

const groupFilters = (query: ListQuery, except?: GroupField): GroupField[] =>
  (['mef', 'division'] as const).filter((f) => f !== except && (query.filters?.[f]?.length ?? 0) > 0);

/**
 * The row ids (`id`) of the list matching the query, all its filters but `except`'s. Null when nothing narrows the
 * list beyond the scalar filters (then read acc_index by facet key, or sum acc_facet_counts).
 */
function matchSet(query: ListQuery, scope: number, except?: string): Clause | null {
  const filters = query.filters ?? {};
  const text = textSource(scope, query.text);
  const groups = groupFilters(query, except as GroupField | undefined);
  if (text) {
    const facet = facetPredicate(TEXT_FACET, filters, except);
    const clauses = [text.where, facet];
    for (const field of groups) {
      const rows = groupRows(query, field, filters[field]!);
      clauses.push({ sql: `${TEXT_ROW} IN (${rows.sql})`, params: rows.params });
    }
    const where = join(clauses);
    return { sql: `SELECT ${TEXT_ROW} AS id FROM ${text.from} WHERE ${where.sql}`, params: where.params };
  }
  if (groups.length === 0) return null;
  const [first, ...rest] = groups;
  const rows = groupRows(query, first!, filters[first!]!, facetPredicate('facet_key', filters, except));
  const more = rest.map((field) => {
    const other = groupRows(query, field, filters[field]!);
    return { sql: ` AND row_id IN (${other.sql})`, params: other.params };
  });
  // A row has one *_first group per value: with one value of one field, each row comes once already.
  const distinct = rest.length === 0 && filters[first!]!.length === 1 ? '' : 'DISTINCT ';
  return { sql: `SELECT ${distinct}row_id AS id FROM (${rows.sql}${more.map((m) => m.sql).join('')})`, params: [...rows.params, ...more.flatMap((m) => m.params)] };
}

/** The number of rows of the list, and of them those matching the query. */
function counts(db: Database, query: ListQuery, scope: number): { size: number; total: number } {
  const set = matchSet(query, scope);
  const facet = facetPredicate('facet_key', query.filters ?? {});
  const row = db
    .prepare(`SELECT coalesce(sum(n), 0) AS size, coalesce(sum(CASE WHEN ${facet.sql} THEN n END), 0) AS total FROM acc_facet_counts WHERE uai = ? AND kind = ?`)
    .get(...facet.params, query.uai, query.kind) as { size: number; total: number };
  if (set) row.total = db.prepare(`SELECT count(*) FROM (${set.sql})`).pluck().get(...set.params) as number;
  return row;
}

const SORT_COLUMN: Record<AccountSort['field'], string> = {
  name: 'sort_name',
  login: 'login',
  state: 'state',
  division: 'division',
  activatedAt: 'activated_at',
  lastLoginAt: 'last_login_at',
  ine: 'ine',
};

/**
 * NULLs last whatever the direction; then the name and the row id keep pages stable. Each order is exactly the key
 * of one list index (SORT_INDEXES, accounts/schema.ts), which also carries the facet key: a filtered page is an ordered index
 * scan with bit tests that stops once the page is full.
 */
export function orderOf(sort: AccountSort | undefined): string {
  const field = sort?.field ?? 'name';
  const dir = sort?.direction === 'desc' ? 'DESC' : 'ASC';
  const column = `a.${SORT_COLUMN[field]}`;
  // sort_name is never NULL: the (uai, kind, sort_name, row_id) index read forwards or backwards.
  if (field === 'name') return `a.sort_name ${dir}, a.row_id ${dir}`;
  if (field === 'state') return `a.state ${dir}, a.sort_name, a.row_id`;
  return `${column} IS NULL, ${column} ${dir}, a.sort_name, a.row_id`;
}

function sortIndex(sort: AccountSort | undefined): string {
  const field = sort?.field ?? 'name';
  const name = field === 'name' ? 'acc_index_name' : `acc_index_${SORT_COLUMN[field]}_${sort?.direction === 'desc' ? 'desc' : 'asc'}`;
  if (!SORT_INDEXES.some((i) => i.name === name)) throw new Error(`no index for the sort ${field}`);
  return name;
}

/**
 * A page is read from the matching rows (looked up by id, then sorted) when there are few of them: at most one in
 * this many of the list. Else from the sort order's index, which stops once the page is full; that scan may cross
 * most of the list when the matches sit at its end, and an index entry costs about this many times less than a
 * lookup, so this bounds both ways to a similar worst case.
 */
const LOOKUP_COST = 20;

/** How a page is read: chosen from the counts, or forced (the tests check that both give the same rows). */
export type PagePlan = 'auto' | 'lookup' | 'scan';

/** The rows of a query in list order, `columns` of acc_index `a`; `limit` undefined: all of them from `offset`. */
function selectRows<T>(
  db: Database,
  query: ListQuery & { sort?: AccountSort },
  columns: string,
  offset: number,
  limit: number | undefined,
  plan: PagePlan = 'auto',
): { total: number; rows: T[] } {
  const scope = scopeOf(db, query.uai, query.kind);
  if (scope === undefined) return { total: 0, rows: [] };
  const { size, total } = counts(db, query, scope);
  if (total === 0 || offset >= total || limit === 0) return { total, rows: [] };
  const set = matchSet(query, scope);
  const filters = query.filters ?? {};
  const page = { sql: 'LIMIT ? OFFSET ?', params: [limit ?? -1, offset] };
  if (plan === 'lookup' || (plan === 'auto' && total * LOOKUP_COST <= size)) {
    // Few matches: their ids (from the text index, the groups, or acc_index by facet key), then a sort of those alone.
    const facet = facetPredicate('facet_key', filters);
    const ids = set ?? {
      sql: `SELECT row_id AS id FROM acc_index INDEXED BY acc_index_facet WHERE uai = ? AND kind = ? AND facet_key IN
              (SELECT facet_key FROM acc_facet_counts WHERE uai = ? AND kind = ? AND ${facet.sql})`,
      params: [query.uai, query.kind, query.uai, query.kind, ...facet.params],
    };
    const rows = db
      .prepare(`SELECT ${columns} FROM (${ids.sql}) AS m CROSS JOIN acc_index a ON a.row_id = m.id ORDER BY ${orderOf(query.sort)} ${page.sql}`)
      .all(...ids.params, ...page.params) as T[];
    return { total, rows };
  }
  // Many matches: the sort order's index, with the facet key's bit tests and the text/groups sets as memberships.
  const clauses: Clause[] = [{ sql: 'a.uai = ? AND a.kind = ?', params: [query.uai, query.kind] }, facetPredicate('a.facet_key', filters)];
  const text = textSource(scope, query.text);
  if (text) {
    const where = join([text.where, facetPredicate(TEXT_FACET, filters)]);
    clauses.push({ sql: `+a.row_id IN (SELECT ${TEXT_ROW} FROM ${text.from} WHERE ${where.sql})`, params: where.params });
  }
  for (const field of groupFilters(query)) {
    const rows = groupRows(query, field, filters[field]!);
    clauses.push({ sql: `+a.row_id IN (${rows.sql})`, params: rows.params });
  }
  const where = join(clauses);
  const rows = db
    .prepare(`SELECT ${columns} FROM acc_index a INDEXED BY ${sortIndex(query.sort)} WHERE ${where.sql} ORDER BY ${orderOf(query.sort)} ${page.sql}`)
    .all(...where.params, ...page.params) as T[];
  return { total, rows };
}

export interface IndexRow {
  row_id: number;
  kind: AccountKind;
  person_id: string;
  person_version: number;
  account_id: string | null;
  account_version: number | null;
  login: string | null;
  state: AccountRow['state'];
  activated_at: string | null;
  last_login_at: string | null;
  last_name: string;
  first_name: string;
  display_name: string;
  ine: string | null;
  birth_date: string | null;
  mef: string | null;
  division: string | null;
  email: string | null;
  email_status: AccountRow['emailStatus'];
  mobile: string | null;
  mobile_status: AccountRow['mobileStatus'];
  family: AccountRow['family'];
  attention: number;
  notified_at: string | null;
  letter_expires_at: string | null;
  pending: number;
}

export const ROW_COLUMNS = `a.row_id, a.kind, a.person_id, a.person_version, a.account_id, a.account_version, a.login, a.state,
  a.activated_at, a.last_login_at, a.last_name, a.first_name, a.display_name, a.ine, a.birth_date, a.mef, a.division, a.email,
  a.email_status, a.mobile, a.mobile_status, a.family, a.attention, a.notified_at, a.letter_expires_at`;

/** Whether an outbox item of this app still waits for the directory on the row's account. */
const PENDING = `EXISTS (SELECT 1 FROM outbox o WHERE o.target_type = 'account' AND o.target_id = a.account_id
  AND o.state IN ('pending', 'in_flight')) AS pending`;

export function toAccountRow(r: IndexRow): AccountRow {
  return {
    kind: r.kind,
    id: r.person_id,
    accountId: r.account_id,
    login: r.login,
    state: r.state,
    lastName: r.last_name,
    firstName: r.first_name,
    displayName: r.display_name,
    ine: r.ine,
    birthDate: r.birth_date,
    mef: r.mef,
    division: r.division,
    email: r.email,
    emailStatus: r.email_status,
    mobile: r.mobile,
    mobileStatus: r.mobile_status,
    family: r.family,
    activatedAt: r.activated_at,
    lastLoginAt: r.last_login_at,
    notifiedAt: r.notified_at,
    letterExpiresAt: r.letter_expires_at,
    attention: attentionFromMask(r.attention),
    pending: r.pending === 1,
  };
}

export function searchPage(
  db: Database,
  query: AccountQuery & { sort?: AccountSort; offset: number; limit: number },
  plan: PagePlan = 'auto',
): { total: number; rows: AccountRow[] } {
  const { total, rows } = selectRows<IndexRow>(db, query, `${ROW_COLUMNS}, ${PENDING}`, query.offset, query.limit, plan);
  return { total, rows: rows.map(toAccountRow) };
}

/** The person ids of every matching row, in list order: a stable snapshot for work that spans several awaits. */
export function orderedIds(db: Database, query: AccountQuery & { sort?: AccountSort }): string[] {
  return selectRows<{ person_id: string }>(db, query, 'a.person_id', 0, undefined).rows.map((r) => r.person_id);
}

/**
 * The acc_index row ids of every matching row, in list order: the cheapest handle on a large fixed set (a later read by
 * row id is a primary-key lookup), for exports that read their rows a chunk at a time.
 */
export function orderedRowIds(db: Database, query: AccountQuery & { sort?: AccountSort }): number[] {
  return selectRows<{ row_id: number }>(db, query, 'a.row_id', 0, undefined).rows.map((r) => r.row_id);
}

/** The projection rows of these people, in the order given (ids gone since are skipped). */
export function rowsByIds(db: Database, kind: AccountKind, ids: readonly string[]): IndexRow[] {
  if (ids.length === 0) return [];
  const rows = db
    .prepare(`SELECT ${ROW_COLUMNS}, 0 AS pending FROM acc_index a WHERE a.kind = ? AND a.person_id IN (SELECT value FROM json_each(?))`)
    .all(kind, JSON.stringify(ids)) as IndexRow[];
  const byId = new Map(rows.map((r) => [r.person_id, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** Every matching person id, by name. */
export function matchingIds(db: Database, query: AccountQuery): string[] {
  return orderedIds(db, { ...query, sort: { field: 'name', direction: 'asc' } });
}

type CountRow = { value: string; count: number };

const SCALAR_FACETS = ['state', 'family', 'email', 'mobile'] as const;
const FACET_FIELDS = [...SCALAR_FACETS, 'level', 'mef', 'division', 'attention'] as const;
type FacetField = (typeof FACET_FIELDS)[number];

/** Whether a row of this facet key (and MEF/classe flags) passes each filter field. */
function passes(filters: AccountFilters, key: number, inGroup: { mef: boolean; division: boolean }): Record<FacetField, boolean> {
  const v = decodeFacetKey(key);
  const has = (values: readonly string[] | undefined, value: string) => !values || values.length === 0 || values.includes(value);
  return {
    state: has(filters.state, v.state),
    family: has(filters.family, v.family),
    email: has(filters.email, v.email),
    mobile: has(filters.mobile, v.mobile),
    level: !filters.level?.length || (v.levels & levelMask(filters.level)) !== 0,
    attention: !filters.attention?.length || (v.attention & maskFromAttention(filters.attention)) !== 0,
    mef: inGroup.mef,
    division: inGroup.division,
  };
}

const onlyFails = (pass: Record<string, boolean>, field: string): boolean =>
  Object.entries(pass).every(([f, ok]) => ok || f === field);

const sortedCounts = (counts: Map<string, number>): CountRow[] =>
  [...counts].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([value, count]) => ({ value, count }));

const add = (counts: Map<string, number>, value: string, n: number) => counts.set(value, (counts.get(value) ?? 0) + n);

type KeyGroup = { k: number; m: number; d: number; n: number };

/**
 * The rows of the list (text applied) counted per facet key and MEF/classe flags (1: in the filter's set, or no such
 * filter). From acc_facet_counts without text: the rows in a MEF/classe set are counted from acc_groups, the others
 * are the rest of each key's count.
 */
function keyGroups(db: Database, query: ListQuery, scope: number): KeyGroup[] {
  const filters = query.filters ?? {};
  const sets = Object.fromEntries(groupFilters(query).map((f) => [f, groupRows(query, f, filters[f]!)])) as Partial<Record<GroupField, Clause>>;
  const flag = (field: GroupField, row: string): Clause => {
    const set = sets[field];
    return set ? { sql: `${row} IN (${set.sql})`, params: set.params } : { sql: '1', params: [] };
  };
  const text = textSource(scope, query.text);
  if (text) {
    const m = flag('mef', TEXT_ROW);
    const d = flag('division', TEXT_ROW);
    return db
      .prepare(`SELECT ${TEXT_FACET} AS k, ${m.sql} AS m, ${d.sql} AS d, count(*) AS n FROM ${text.from} WHERE ${text.where.sql} GROUP BY 1, 2, 3`)
      .all(...m.params, ...d.params, ...text.where.params) as KeyGroup[];
  }
  const totals = db.prepare('SELECT facet_key AS k, 1 AS m, 1 AS d, n FROM acc_facet_counts WHERE uai = ? AND kind = ?').all(query.uai, query.kind) as KeyGroup[];
  if (!sets.mef && !sets.division) return totals;
  const inSets = sets.mef && sets.division ? inBothSets(db, sets.mef, sets.division) : inOneSet(db, query, sets.mef ? 'mef' : 'division');
  const rest = new Map(totals.map((t) => [t.k, t.n]));
  for (const g of inSets) rest.set(g.k, (rest.get(g.k) ?? 0) - g.n);
  const outside = { m: sets.mef ? 0 : 1, d: sets.division ? 0 : 1 };
  return [...inSets, ...[...rest].filter(([, n]) => n > 0).map(([k, n]) => ({ k, ...outside, n }))];
}

/**
 * The rows in the MEF set or the classe set, per facet key, flagged by set; the rest of each key are in neither (flag
 * 0 where a filter applies).
 */
function inBothSets(db: Database, mef: Clause, division: Clause): KeyGroup[] {
  const union = join(
    [mef, division].map((set) => ({ sql: set.sql.replace('SELECT row_id FROM', 'SELECT row_id, facet_key FROM'), params: set.params })),
    ' UNION ',
  );
  return db
    .prepare(
      `SELECT u.facet_key AS k, u.row_id IN (${mef.sql}) AS m, u.row_id IN (${division.sql}) AS d, count(*) AS n
       FROM (SELECT DISTINCT row_id, facet_key FROM (${union.sql})) AS u GROUP BY 1, 2, 3`,
    )
    .all(...mef.params, ...division.params, ...union.params) as KeyGroup[];
}

/**
 * The rows in the one MEF (or classe) set per facet key, both flags 1 (no other set to be in or out of). One value:
 * the counts kept per value and key (a row has one *_first group per value). Several: the distinct rows of their
 * groups (a guardian's children may have several of the values).
 */
function inOneSet(db: Database, query: ListQuery, field: GroupField): KeyGroup[] {
  const values = query.filters![field]!;
  if (values.length === 1) {
    return db
      .prepare(`SELECT facet_key AS k, 1 AS m, 1 AS d, n FROM acc_group_counts WHERE uai = ? AND kind = ? AND field = ? AND value = ? AND facet_key >= 0`)
      .all(query.uai, query.kind, field, values[0]) as KeyGroup[];
  }
  const set = groupRows(query, field, values);
  return db
    .prepare(`SELECT facet_key AS k, 1 AS m, 1 AS d, count(*) AS n FROM (SELECT DISTINCT row_id, facet_key FROM (${set.sql.replace('SELECT row_id FROM', 'SELECT row_id, facet_key FROM')})) GROUP BY 1`)
    .all(...set.params) as KeyGroup[];
}

/** Counts per MEF or classe, every other filter (and the text) applied. */
function groupCounts(db: Database, query: ListQuery, scope: number, field: GroupField): CountRow[] {
  const filters = query.filters ?? {};
  // The rows matching everything else (text, the other field's filter), or else the counts kept per value and key.
  const set = matchSet(query, scope, field);
  if (!set) {
    const facet = facetPredicate('facet_key', filters);
    // No scalar filter: the per-value totals.
    const keys = facet.sql === '1' ? { sql: `facet_key = ${ALL_KEYS}`, params: [] } : { sql: `facet_key >= 0 AND ${facet.sql}`, params: facet.params };
    return db
      .prepare(
        `SELECT value, sum(n) AS count FROM acc_group_counts WHERE uai = ? AND kind = ? AND field = ? AND ${keys.sql}
         GROUP BY value ORDER BY value`,
      )
      .all(query.uai, query.kind, field, ...keys.params) as CountRow[];
  }
  // Their groups of this field: each row once per value (the *_first ones).
  return db
    .prepare(
      `SELECT g.${field} AS value, count(*) AS count FROM (${set.sql}) AS s CROSS JOIN acc_groups g ON g.row_id = s.id
       WHERE g.${field}_first = 1 GROUP BY g.${field} ORDER BY 1`,
    )
    .all(...set.params) as CountRow[];
}

/**
 * Counts per value of every filter field, each with the other fields' filters applied: the list's rows grouped by
 * facet key and MEF/classe flags (see keyGroups), the filters then applied to those few hundred groups here; the
 * MEF and classe counts from acc_group_counts, or from the groups of the rows matching the rest.
 */
export function facets(db: Database, query: AccountQuery): AccountFacets {
  const filters = query.filters ?? {};
  const attentionKeys = ATTENTION_KEYS.filter((k) => ATTENTION_KIND[k] === 'both' || ATTENTION_KIND[k] === query.kind);
  const out = { total: 0 } as AccountFacets;
  const scope = scopeOf(db, query.uai, query.kind);
  const groups = scope === undefined ? [] : keyGroups(db, query, scope);
  const scalar = new Map<string, Map<string, number>>(FACET_FIELDS.map((f) => [f, new Map()]));
  const passing = new Map<number, Record<FacetField, boolean>>();
  for (const g of groups) {
    const pass = passes(filters, g.k, { mef: g.m === 1, division: g.d === 1 });
    const v = decodeFacetKey(g.k);
    passing.set(g.k, pass);
    if (Object.values(pass).every(Boolean)) out.total += g.n;
    for (const field of SCALAR_FACETS) if (onlyFails(pass, field)) add(scalar.get(field)!, v[field], g.n);
    if (onlyFails(pass, 'level')) {
      LEVELS.forEach((level, i) => {
        if (v.levels & (1 << i)) add(scalar.get('level')!, level, g.n);
      });
    }
    if (onlyFails(pass, 'attention')) {
      for (const key of attentionKeys) if (v.attention & attentionBit(key)) add(scalar.get('attention')!, key, g.n);
    }
  }
  for (const field of [...SCALAR_FACETS, 'level'] as const) out[field] = sortedCounts(scalar.get(field)!);
  out.attention = attentionKeys.map((key) => ({ value: key, count: scalar.get('attention')!.get(key) ?? 0 }));
  for (const field of ['mef', 'division'] as const) out[field] = scope === undefined ? [] : groupCounts(db, query, scope, field);
  return out;
}

/** Every point d'attention of an establishment with its count, in both lists where it applies. */
export function attentionSummary(db: Database, uai: string): { key: AttentionKey; kind: AccountKind; count: number }[] {
  const out: { key: AttentionKey; kind: AccountKind; count: number }[] = [];
  for (const kind of ACCOUNT_KINDS) {
    const keys = ATTENTION_KEYS.filter((k) => ATTENTION_KIND[k] === 'both' || ATTENTION_KIND[k] === kind);
    const rows = db.prepare('SELECT facet_key AS k, n FROM acc_facet_counts WHERE uai = ? AND kind = ?').all(uai, kind) as { k: number; n: number }[];
    for (const key of keys) {
      const count = rows.reduce((sum, r) => sum + ((decodeFacetKey(r.k).attention & attentionBit(key)) !== 0 ? r.n : 0), 0);
      out.push({ key, kind, count });
    }
  }
  return out;
}
