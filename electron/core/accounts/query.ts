/**
 * SQL over the account projection: the WHERE clause of a list query (text, filters), a page, the counts per filter
 * value, the points d'attention and the ids of a whole selection. Values are always bound, never spliced.
 */
import type { Database } from 'better-sqlite3';
import type { AccountFacets, AccountFilters, AccountQuery, AccountRow, AccountSort } from '../../../shared/api/methods/accounts';
import { decodeFacetKey, levelMask } from './facet-key';
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

type FilterField = keyof AccountFilters;

interface Clause {
  sql: string;
  params: unknown[];
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** The trigram index answers substrings of 3 characters or more; shorter terms match the start of a word. */
function textClauses(text: string | undefined): Clause[] {
  return searchTerms(text).map((term) => {
    // A folded term is letters and digits only: as a trigram phrase it matches exactly the substring, from the index.
    if (term.length >= 3) return { sql: 'a.row_id IN (SELECT rowid FROM acc_fts WHERE acc_fts MATCH ?)', params: [`"${term}"`] };
    return { sql: `(a.search LIKE ? ESCAPE '\\' OR a.search LIKE ? ESCAPE '\\')`, params: [`${term}%`, `% ${term}%`] };
  });
}

/** The row ids of the list whose pupil (or one of the guardian's children) is in one of these MEFs or classes. */
function groupRows(query: Pick<AccountQuery, 'kind' | 'uai'>, field: 'mef' | 'division', values: readonly string[]): Clause {
  return {
    sql: `(SELECT row_id FROM acc_groups WHERE uai = ? AND kind = ? AND ${field} IN (${placeholders(values.length)}) AND ${field}_first = 1)`,
    params: [query.uai, query.kind, ...values],
  };
}

function filterClause(query: Pick<AccountQuery, 'kind' | 'uai'>, field: FilterField, values: readonly string[]): Clause {
  switch (field) {
    case 'mef':
    case 'division': {
      const rows = groupRows(query, field, values);
      return { sql: `a.row_id IN ${rows.sql}`, params: rows.params };
    }
    case 'level':
      return { sql: '(a.levels & ?) <> 0', params: [levelMask(values)] };
    case 'state':
      return { sql: `a.state IN (${placeholders(values.length)})`, params: [...values] };
    case 'family':
      return { sql: `a.family IN (${placeholders(values.length)})`, params: [...values] };
    case 'email':
      return { sql: `a.email_status IN (${placeholders(values.length)})`, params: [...values] };
    case 'mobile':
      return { sql: `a.mobile_status IN (${placeholders(values.length)})`, params: [...values] };
    case 'attention':
      return { sql: '(a.attention & ?) <> 0', params: [maskFromAttention(values as AttentionKey[])] };
  }
}

/** WHERE of a list query; `except` leaves one filter field out (for its own counts). */
export function whereOf(query: Pick<AccountQuery, 'kind' | 'uai' | 'text' | 'filters'>, except?: FilterField): Clause {
  const clauses: Clause[] = [{ sql: 'a.uai = ? AND a.kind = ?', params: [query.uai, query.kind] }, ...textClauses(query.text)];
  for (const [field, values] of Object.entries(query.filters ?? {}) as [FilterField, string[] | undefined][]) {
    if (field === except || !values || values.length === 0) continue;
    clauses.push(filterClause(query, field, values));
  }
  return { sql: clauses.map((c) => c.sql).join(' AND '), params: clauses.flatMap((c) => c.params) };
}

const SORT_COLUMN: Record<AccountSort['field'], string> = {
  name: 'a.sort_name',
  login: 'a.login',
  state: 'a.state',
  division: 'a.division',
  activatedAt: 'a.activated_at',
  lastLoginAt: 'a.last_login_at',
  ine: 'a.ine',
};

/**
 * NULLs last whatever the direction; then the name and the row id keep pages stable. Each order is exactly the key
 * of one index of migration 004 (SORT_INDEXES), which also covers the scalar filters: a page is an ordered index
 * scan that stops once the page is full.
 */
export function orderOf(sort: AccountSort | undefined): string {
  const field = sort?.field ?? 'name';
  const dir = sort?.direction === 'desc' ? 'DESC' : 'ASC';
  const column = SORT_COLUMN[field];
  // sort_name is never NULL: the (uai, kind, sort_name, row_id) index read forwards or backwards.
  if (field === 'name') return `a.sort_name ${dir}, a.row_id ${dir}`;
  if (field === 'state') return `a.state ${dir}, a.sort_name, a.row_id`;
  return `${column} IS NULL, ${column} ${dir}, a.sort_name, a.row_id`;
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
  pending: number;
}

export const ROW_COLUMNS = `a.row_id, a.kind, a.person_id, a.person_version, a.account_id, a.account_version, a.login, a.state,
  a.activated_at, a.last_login_at, a.last_name, a.first_name, a.display_name, a.ine, a.birth_date, a.mef, a.division, a.email,
  a.email_status, a.mobile, a.mobile_status, a.family, a.attention`;

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
    attention: attentionFromMask(r.attention),
    pending: r.pending === 1,
  };
}

export function searchPage(
  db: Database,
  query: AccountQuery & { sort?: AccountSort; offset: number; limit: number },
): { total: number; rows: AccountRow[] } {
  const where = whereOf(query);
  const total = db.prepare(`SELECT count(*) FROM acc_index a WHERE ${where.sql}`).pluck().get(...where.params) as number;
  const rows = db
    .prepare(`SELECT ${ROW_COLUMNS}, ${PENDING} FROM acc_index a WHERE ${where.sql} ORDER BY ${orderOf(query.sort)} LIMIT ? OFFSET ?`)
    .all(...where.params, query.limit, query.offset) as IndexRow[];
  return { total, rows: rows.map(toAccountRow) };
}

/** The person ids of every matching row, in list order: a stable snapshot for work that spans several awaits. */
export function orderedIds(db: Database, query: AccountQuery & { sort?: AccountSort }): string[] {
  const where = whereOf(query);
  return db
    .prepare(`SELECT a.person_id FROM acc_index a WHERE ${where.sql} ORDER BY ${orderOf(query.sort)}`)
    .pluck()
    .all(...where.params) as string[];
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

export function countRows(db: Database, query: AccountQuery): number {
  const where = whereOf(query);
  return db.prepare(`SELECT count(*) FROM acc_index a WHERE ${where.sql}`).pluck().get(...where.params) as number;
}

export function matchingIds(db: Database, query: AccountQuery): string[] {
  const where = whereOf(query);
  return db
    .prepare(`SELECT a.person_id FROM acc_index a WHERE ${where.sql} ORDER BY a.sort_name, a.row_id`)
    .pluck()
    .all(...where.params) as string[];
}

type CountRow = { value: string; count: number };

const SCALAR_FACETS = ['state', 'family', 'email', 'mobile'] as const;
const FACET_FIELDS = [...SCALAR_FACETS, 'level', 'mef', 'division', 'attention'] as const;

/** Whether a row of these packed values (and MEF/classe flags) passes each filter field. */
function passes(
  filters: AccountFilters,
  key: number,
  inGroup: { mef: boolean; division: boolean },
): Record<(typeof FACET_FIELDS)[number], boolean> {
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

/**
 * Counts per value of every filter field, each with the other fields' filters applied. Three grouped passes over
 * narrow indexes: one over the rows by packed scalar values (facet_key), one per MEF and one per classe; the filters
 * are then applied to the few hundred groups here.
 */
export function facets(db: Database, query: AccountQuery): AccountFacets {
  const filters = query.filters ?? {};
  const text = textClauses(query.text);
  const base: Clause = {
    sql: ['a.uai = ? AND a.kind = ?', ...text.map((c) => c.sql)].join(' AND '),
    params: [query.uai, query.kind, ...text.flatMap((c) => c.params)],
  };
  // MEF/classe filters become per-row flags (grouped on) rather than WHERE terms, so each can be left out for its own counts.
  const flag = (alias: string, field: 'mef' | 'division'): Clause => {
    const values = filters[field];
    if (!values?.length) return { sql: '1', params: [] };
    const rows = groupRows(query, field, values);
    return { sql: `${alias}.row_id IN ${rows.sql}`, params: rows.params };
  };

  const out = { total: 0 } as AccountFacets;
  const scalar = new Map<string, Map<string, number>>(FACET_FIELDS.map((f) => [f, new Map()]));
  const attentionKeys = ATTENTION_KEYS.filter((k) => ATTENTION_KIND[k] === 'both' || ATTENTION_KIND[k] === query.kind);
  const mefFlag = flag('a', 'mef');
  const divisionFlag = flag('a', 'division');
  // Grouped on the flags only when they vary (a constant grouping term costs a sort).
  const flagged = mefFlag.params.length + divisionFlag.params.length > 0;
  const groups = db
    .prepare(
      flagged
        ? `SELECT a.facet_key AS k, ${mefFlag.sql} AS m, ${divisionFlag.sql} AS d, count(*) AS n FROM acc_index a
           WHERE ${base.sql} GROUP BY 1, 2, 3`
        : `SELECT a.facet_key AS k, 1 AS m, 1 AS d, count(*) AS n FROM acc_index a WHERE ${base.sql} GROUP BY a.facet_key`,
    )
    .all(...mefFlag.params, ...divisionFlag.params, ...base.params) as { k: number; m: number; d: number; n: number }[];
  for (const g of groups) {
    const pass = passes(filters, g.k, { mef: g.m === 1, division: g.d === 1 });
    const v = decodeFacetKey(g.k);
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

  // The scalar filters all apply to the MEF and classe counts: as the set of packed values that pass them.
  const scalarFiltered = (['state', 'family', 'email', 'mobile', 'level', 'attention'] as const).some((f) => filters[f]?.length);
  const passingKeys = [
    ...new Set(
      groups
        .filter((g) => Object.entries(passes(filters, g.k, { mef: true, division: true })).every(([, ok]) => ok))
        .map((g) => g.k),
    ),
  ];
  const keyClause = scalarFiltered ? { sql: 'AND g.facet_key IN (SELECT value FROM json_each(?))', params: [JSON.stringify(passingKeys)] } : { sql: '', params: [] };
  // A guardian counts once per value even with two children in the same class: only the first group row per value.
  for (const field of ['mef', 'division'] as const) {
    const other = flag('g', field === 'mef' ? 'division' : 'mef');
    const otherClause = other.params.length > 0 ? { sql: `AND ${other.sql}`, params: other.params } : { sql: '', params: [] };
    const textRows = text.length > 0 ? { sql: `AND g.row_id IN (SELECT a.row_id FROM acc_index a WHERE ${base.sql})`, params: base.params } : { sql: '', params: [] };
    out[field] = db
      .prepare(
        `SELECT g.${field} AS value, count(*) AS count FROM acc_groups g
         WHERE g.uai = ? AND g.kind = ? AND g.${field}_first = 1 ${keyClause.sql} ${otherClause.sql} ${textRows.sql}
         GROUP BY g.${field} ORDER BY 1`,
      )
      .all(query.uai, query.kind, ...keyClause.params, ...otherClause.params, ...textRows.params) as CountRow[];
  }
  return out;
}

/** Every point d'attention of an establishment with its count, in both lists where it applies. */
export function attentionSummary(db: Database, uai: string): { key: AttentionKey; kind: AccountKind; count: number }[] {
  const out: { key: AttentionKey; kind: AccountKind; count: number }[] = [];
  for (const kind of ACCOUNT_KINDS) {
    const keys = ATTENTION_KEYS.filter((k) => ATTENTION_KIND[k] === 'both' || ATTENTION_KIND[k] === kind);
    const sums = keys.map((k) => `sum((attention & ${attentionBit(k)}) <> 0)`).join(', ');
    const row = db.prepare(`SELECT ${sums} FROM acc_index WHERE uai = ? AND kind = ?`).raw().get(uai, kind) as (number | null)[];
    keys.forEach((key, i) => out.push({ key, kind, count: row[i] ?? 0 }));
  }
  return out;
}
