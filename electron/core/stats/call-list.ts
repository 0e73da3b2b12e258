/**
 * « À relancer »: who to call back so that they activate, read from the account lists (accounts/query.ts) with
 * filters, so the rows are exactly the Comptes page's:
 * - pupils: accounts not activated, notified or not (a deactivated or deleted account is not called back);
 * - families: legal guardians not activated in a family where no legal guardian has activated (one row per guardian,
 *   with their children).
 * The establishment's « communication directe » setting is respected: when it is off (the private establishments'
 * default, seed 000), the list gives no email or mobile and says so.
 */
import type { Database } from 'better-sqlite3';
import type { AccountFilters, AccountRow, AccountSort } from '../../../shared/api/methods/accounts';
import type { CallList, CallListKind, CallListRow } from '../../../shared/api/methods/stats';
import { SettingsData } from '../../../shared/directory/wire';
import type { AccountKind } from '../../../shared/domain/accounts';
import { compareDivisions } from '../../../shared/domain/stats';
import { orderedIds, rowsByIds, searchPage, toAccountRow } from '../accounts/query';

const NOT_ACTIVATED = ['non_notifie', 'notifie'] as const;

export const CALL_LIST_QUERIES: Record<CallListKind, { kind: AccountKind; filters: AccountFilters }> = {
  pupil: { kind: 'pupil', filters: { state: [...NOT_ACTIVATED] } },
  family: { kind: 'guardian', filters: { state: [...NOT_ACTIVATED], family: ['none'] } },
};

export type CallListSortInput = { field: 'division' | 'name'; direction: 'asc' | 'desc' };

const accountSort = (sort: CallListSortInput | undefined): AccountSort =>
  sort?.field === 'name' ? { field: 'name', direction: sort.direction } : { field: 'division', direction: sort?.direction ?? 'asc' };

/**
 * Whether the establishment allows direct communication with families: its settings record, else the usual default
 * (allowed in public establishments, not in private ones).
 */
export function allowsDirectCommunication(db: Database, uai: string): boolean {
  const raw = db
    .prepare('SELECT data FROM dir_establishment_settings WHERE uai = ? AND deleted = 0 ORDER BY id LIMIT 1')
    .pluck()
    .get(uai) as string | undefined;
  const parsed = raw ? SettingsData.safeParse(JSON.parse(raw)) : null;
  if (parsed?.success) return parsed.data.directCommunication;
  return (db.prepare('SELECT is_private FROM establishments WHERE uai = ?').pluck().get(uai) as number | undefined) !== 1;
}

/** The letter expiry of these accounts (notified ones only matter). */
function letterExpiries(db: Database, accountIds: readonly string[]): Map<string, string | null> {
  if (accountIds.length === 0) return new Map();
  const rows = db
    .prepare(
      `SELECT a.id, json_extract(a.data, '$.letterExpiresAt') AS expires FROM (SELECT value FROM json_each(?)) AS ids
       CROSS JOIN dir_accounts a ON a.id = ids.value`,
    )
    .all(JSON.stringify(accountIds)) as { id: string; expires: string | null }[];
  return new Map(rows.map((r) => [r.id, r.expires]));
}

/** The children (listed pupils) of these guardians, by class then name. */
function childrenOf(db: Database, uai: string, guardianIds: readonly string[]): Map<string, CallListRow['children']> {
  const out = new Map<string, CallListRow['children']>();
  if (guardianIds.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT l.guardian_id AS guardian, a.display_name AS displayName, a.division FROM (SELECT DISTINCT value FROM json_each(?)) AS ids
       CROSS JOIN dir_links l ON l.guardian_id = ids.value CROSS JOIN acc_index a ON a.kind = 'pupil' AND a.person_id = l.pupil_id
       WHERE +l.uai = ? AND +l.deleted = 0`,
    )
    .all(JSON.stringify(guardianIds), uai) as { guardian: string; displayName: string; division: string | null }[];
  for (const r of rows) {
    const list = out.get(r.guardian) ?? (out.set(r.guardian, []), out.get(r.guardian)!);
    if (!list.some((c) => c.displayName === r.displayName)) list.push({ displayName: r.displayName, division: r.division });
  }
  for (const list of out.values()) list.sort((a, b) => compareDivisions(a.division ?? '', b.division ?? '') || a.displayName.localeCompare(b.displayName, 'fr'));
  return out;
}

/** The call-list rows of these projection rows (contacts withheld when `contacts` is false). */
function toCallRows(db: Database, uai: string, kind: CallListKind, rows: AccountRow[], asOf: string, contacts: boolean): CallListRow[] {
  const expiries = letterExpiries(db, rows.flatMap((r) => (r.state === 'notifie' && r.accountId ? [r.accountId] : [])));
  const children = kind === 'family' ? childrenOf(db, uai, rows.map((r) => r.id)) : new Map<string, CallListRow['children']>();
  return rows.map((r) => {
    const expires = r.accountId ? (expiries.get(r.accountId) ?? null) : null;
    return {
      id: r.id,
      kind,
      displayName: r.displayName,
      lastName: r.lastName,
      firstName: r.firstName,
      division: r.division,
      state: r.state as CallListRow['state'],
      letterExpired: r.state === 'notifie' && expires !== null && expires < asOf,
      children: children.get(r.id) ?? [],
      email: contacts ? r.email : null,
      emailStatus: contacts ? r.emailStatus : null,
      mobile: contacts ? r.mobile : null,
      mobileStatus: contacts ? r.mobileStatus : null,
    };
  });
}

/** One page of the call list. `asOf`: the figures' date, for the expired letters. */
export function callListPage(
  db: Database,
  input: { uai: string; kind: CallListKind; sort?: CallListSortInput; offset: number; limit: number },
  asOf: string,
): CallList {
  const query = CALL_LIST_QUERIES[input.kind];
  const page = searchPage(db, { ...query, uai: input.uai, sort: accountSort(input.sort), offset: input.offset, limit: input.limit });
  const contacts = allowsDirectCommunication(db, input.uai);
  return { total: page.total, rows: toCallRows(db, input.uai, input.kind, page.rows, asOf, contacts), contactsWithheld: !contacts };
}

/**
 * The whole call list of an establishment, by class then name: its ids fixed at once, then rows read `chunk` at a time
 * (no statement stays open across the caller's awaits).
 */
export function callListChunks(
  db: Database,
  uai: string,
  kind: CallListKind,
  asOf: string,
  chunk = 2000,
): { total: number; contactsWithheld: boolean; chunks: () => Generator<CallListRow[]> } {
  const query = CALL_LIST_QUERIES[kind];
  const ids = orderedIds(db, { ...query, uai, sort: accountSort(undefined) });
  const contacts = allowsDirectCommunication(db, uai);
  return {
    total: ids.length,
    contactsWithheld: !contacts,
    chunks: function* () {
      for (let i = 0; i < ids.length; i += chunk) {
        const rows = rowsByIds(db, query.kind, ids.slice(i, i + chunk)).map(toAccountRow);
        yield toCallRows(db, uai, kind, rows, asOf, contacts);
      }
    },
  };
}
