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
import { orderedRowIds, searchPage } from '../accounts/query';

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

/** The letter expiry of these accounts: for a page, a lookup per account beats the whole index range (expiredHolders). */
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

/** The children (listed pupils) of these guardians, each once, by class then name. */
function childrenOf(db: Database, uai: string, guardianIds: readonly string[]): Map<string, CallListRow['children']> {
  const out = new Map<string, CallListRow['children']>();
  if (guardianIds.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT DISTINCT l.guardian_id AS guardian, l.pupil_id, a.display_name AS displayName, a.division
       FROM (SELECT DISTINCT value FROM json_each(?)) AS ids CROSS JOIN dir_links l ON l.guardian_id = ids.value
       CROSS JOIN acc_index a ON a.kind = 'pupil' AND a.person_id = l.pupil_id
       WHERE +l.uai = ? AND +l.deleted = 0 ORDER BY 1, a.division, a.display_name`,
    )
    .all(JSON.stringify(guardianIds), uai) as { guardian: string; displayName: string; division: string | null }[];
  for (const r of rows) {
    const list = out.get(r.guardian);
    const child = { displayName: r.displayName, division: r.division };
    if (list) list.push(child);
    else out.set(r.guardian, [child]);
  }
  return out;
}

/** The same, as the workbook shows them: one text per guardian (built by SQLite, no object per child). */
function childrenTextOf(db: Database, uai: string, guardianIds: readonly string[]): Map<string, string> {
  const rows = db
    .prepare(
      `SELECT guardian, group_concat(label, ', ' ORDER BY division, displayName) FROM (
         SELECT DISTINCT l.guardian_id AS guardian, l.pupil_id, a.display_name AS displayName, a.division,
           a.display_name || coalesce(' (' || a.division || ')', '') AS label
         FROM (SELECT DISTINCT value FROM json_each(?)) AS ids CROSS JOIN dir_links l ON l.guardian_id = ids.value
         CROSS JOIN acc_index a ON a.kind = 'pupil' AND a.person_id = l.pupil_id
         WHERE +l.uai = ? AND +l.deleted = 0
       ) GROUP BY guardian`,
    )
    .raw()
    .all(JSON.stringify(guardianIds), uai) as [string, string][];
  return new Map(rows);
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
  const expiries = letterExpiries(db, page.rows.flatMap((r) => (r.state === 'notifie' && r.accountId ? [r.accountId] : [])));
  const children = input.kind === 'family' ? childrenOf(db, input.uai, page.rows.map((r) => r.id)) : null;
  const rows = page.rows.map((r): CallListRow => {
    const expires = r.accountId ? (expiries.get(r.accountId) ?? null) : null;
    return {
      id: r.id,
      kind: input.kind,
      displayName: r.displayName,
      lastName: r.lastName,
      firstName: r.firstName,
      division: r.division,
      state: r.state as CallListRow['state'],
      letterExpired: r.state === 'notifie' && expires !== null && expires < asOf,
      children: children?.get(r.id) ?? [],
      email: contacts ? r.email : null,
      emailStatus: contacts ? r.emailStatus : null,
      mobile: contacts ? r.mobile : null,
      mobileStatus: contacts ? r.mobileStatus : null,
    };
  });
  return { total: page.total, rows, contactsWithheld: !contacts };
}

/** The people of one kind whose letter expired before `asOf`: a range of the partial index of notified accounts. */
function expiredHolders(db: Database, uai: string, kind: AccountKind, asOf: string): Set<string> {
  return new Set(
    db
      .prepare(
        `SELECT person_id FROM dir_accounts INDEXED BY dir_accounts_letter_expiry
         WHERE uai = ? AND person_kind = ? AND state = 'notifie' AND deleted = 0 AND json_extract(data, '$.letterExpiresAt') < ?`,
      )
      .pluck()
      .all(uai, kind, asOf) as string[],
  );
}

/** A call-list row as the workbook writes it: the children as one text, no display name nor id. */
export type CallSheetRow = Omit<CallListRow, 'id' | 'displayName' | 'children'> & { children: string };

/** Only the columns the workbook shows, read by row id (a primary-key lookup; json_each keeps the ids' order). */
const READ = 'a.person_id, a.last_name, a.first_name, a.division, a.state, a.email, a.email_status, a.mobile, a.mobile_status';
type ReadRow = [string, string, string, string | null, CallListRow['state'], string | null, AccountRow['emailStatus'], string | null, AccountRow['mobileStatus']];

/**
 * The whole call list of an establishment, by class then name, for the workbook: its row ids fixed at once, then rows
 * read `chunk` at a time (no statement stays open across the caller's awaits). A large call list makes its garbage
 * count: one object per row, straight from the read.
 */
export function callListChunks(
  db: Database,
  uai: string,
  kind: CallListKind,
  asOf: string,
  chunk = 2000,
): { total: number; contactsWithheld: boolean; chunks: () => Generator<CallSheetRow[]> } {
  const query = CALL_LIST_QUERIES[kind];
  const ids = orderedRowIds(db, { ...query, uai, sort: accountSort(undefined) });
  const contacts = allowsDirectCommunication(db, uai);
  const read = db.prepare(`SELECT ${READ} FROM (SELECT value FROM json_each(?)) AS ids CROSS JOIN acc_index a ON a.row_id = ids.value`).raw();
  return {
    total: ids.length,
    contactsWithheld: !contacts,
    chunks: function* () {
      const expired = expiredHolders(db, uai, query.kind, asOf);
      for (let i = 0; i < ids.length; i += chunk) {
        const rows = read.all(JSON.stringify(ids.slice(i, i + chunk))) as ReadRow[];
        const children = kind === 'family' ? childrenTextOf(db, uai, rows.map((r) => r[0])) : null;
        yield rows.map(([id, lastName, firstName, division, state, email, emailStatus, mobile, mobileStatus]) => ({
          kind,
          lastName,
          firstName,
          division,
          state,
          letterExpired: state === 'notifie' && expired.has(id),
          children: children?.get(id) ?? '',
          email: contacts ? email : null,
          emailStatus: contacts ? emailStatus : null,
          mobile: contacts ? mobile : null,
          mobileStatus: contacts ? mobileStatus : null,
        }));
      }
    },
  };
}
