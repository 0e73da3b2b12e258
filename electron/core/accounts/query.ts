/**
 * SQL over the account projection: the WHERE clause of a list query (text, filters), a page, the counts per filter
 * value, the points d'attention and the ids of a whole selection. Values are always bound, never spliced.
 */
import type { Database } from 'better-sqlite3';
import type { AccountFacets, AccountFilters, AccountQuery, AccountRow, AccountSort } from '../../../shared/api/methods/accounts';
import {
  ACCOUNT_KINDS,
  ATTENTION_KEYS,
  ATTENTION_KIND,
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
    const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    if (term.length >= 3) {
      return { sql: `a.row_id IN (SELECT rowid FROM acc_fts WHERE acc_fts.search LIKE ? ESCAPE '\\')`, params: [like] };
    }
    return { sql: `(a.search LIKE ? ESCAPE '\\' OR a.search LIKE ? ESCAPE '\\')`, params: [`${term}%`, `% ${term}%`] };
  });
}

function filterClause(field: FilterField, values: readonly string[]): Clause {
  switch (field) {
    case 'mef':
    case 'division':
    case 'level':
      return {
        sql: `EXISTS (SELECT 1 FROM acc_groups g WHERE g.row_id = a.row_id AND g.${field} IN (${placeholders(values.length)}))`,
        params: [...values],
      };
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
    clauses.push(filterClause(field, values));
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

export function orderOf(sort: AccountSort | undefined): string {
  const field = sort?.field ?? 'name';
  const dir = sort?.direction === 'desc' ? 'DESC' : 'ASC';
  // NULLs last whatever the direction; then the name and the row id keep pages stable.
  const column = SORT_COLUMN[field];
  // sort_name is never NULL: without the IS NULL key the (uai, kind, sort_name) index yields the page directly.
  if (field === 'name') return `a.sort_name ${dir}, a.row_id ${dir}`;
  return `${column} IS NULL, ${column} ${dir}, a.sort_name ASC, a.row_id ASC`;
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

const COLUMN_FACETS = { state: 'a.state', family: 'a.family', email: 'a.email_status', mobile: 'a.mobile_status' } as const;

export function facets(db: Database, query: AccountQuery): AccountFacets {
  const out = { total: countRows(db, query) } as AccountFacets;
  for (const [field, column] of Object.entries(COLUMN_FACETS) as [keyof typeof COLUMN_FACETS, string][]) {
    const where = whereOf(query, field);
    out[field] = db
      .prepare(`SELECT ${column} AS value, count(*) AS count FROM acc_index a WHERE ${where.sql} GROUP BY 1 ORDER BY 1`)
      .all(...where.params) as CountRow[];
  }
  for (const field of ['level', 'mef', 'division'] as const) {
    const where = whereOf(query, field);
    // A guardian counts once per value even with two children in the same class.
    out[field] = db
      .prepare(
        `SELECT g.${field} AS value, count(DISTINCT g.row_id) AS count FROM acc_groups g JOIN acc_index a ON a.row_id = g.row_id
         WHERE g.uai = ? AND g.kind = ? AND ${where.sql} GROUP BY 1 ORDER BY 1`,
      )
      .all(query.uai, query.kind, ...where.params) as CountRow[];
  }
  const where = whereOf(query, 'attention');
  const keys = ATTENTION_KEYS.filter((k) => ATTENTION_KIND[k] === 'both' || ATTENTION_KIND[k] === query.kind);
  const sums = keys.map((k) => `sum((a.attention & ${attentionBit(k)}) <> 0)`).join(', ');
  const row = db.prepare(`SELECT ${sums} FROM acc_index a WHERE ${where.sql}`).raw().get(...where.params) as (number | null)[];
  out.attention = keys.map((k, i) => ({ value: k, count: row[i] ?? 0 }));
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
