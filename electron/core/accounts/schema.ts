/**
 * The indexes the account lists read through, as the current schema has them. Migrations keep their own frozen copy
 * (a migration is history and never changes); runtime code reads this one, and test/unit/accounts-schema.test.ts
 * checks it matches what the migrations built.
 */

/**
 * The sort keys of the lists (see query.ts `orderOf`): empty values last in both directions, then the name and the
 * row id ascending. One index per key and direction, each carrying the row's `facet_key` (every scalar filter value
 * packed in one integer), so a filtered page is an ordered index scan with bit tests that stops after the page.
 */
export const SORT_INDEXES: readonly { name: string; key: string }[] = [
  { name: 'acc_index_name', key: 'sort_name' },
  ...(['login', 'division', 'activated_at', 'last_login_at', 'ine'] as const).flatMap((c) => [
    { name: `acc_index_${c}_asc`, key: `${c} IS NULL, ${c}, sort_name` },
    { name: `acc_index_${c}_desc`, key: `${c} IS NULL, ${c} DESC, sort_name` },
  ]),
  { name: 'acc_index_state_asc', key: 'state, sort_name' },
  { name: 'acc_index_state_desc', key: 'state DESC, sort_name' },
];

/**
 * Every list index. A whole rebuild of a large establishment drops and recreates them (building an index from sorted
 * rows is far cheaper than maintaining a dozen of them row by row). `acc_index_facet` finds the rows of a few facet
 * keys (a selective filter); the acc_groups ones repeat their WHERE column: without it the planner does not see them
 * as covering.
 */
export const ACCOUNT_LIST_INDEXES: readonly { name: string; sql: string }[] = [
  ...SORT_INDEXES.map(({ name, key }) => ({ name, sql: `CREATE INDEX ${name} ON acc_index (uai, kind, ${key}, row_id, facet_key)` })),
  { name: 'acc_index_facet', sql: 'CREATE INDEX acc_index_facet ON acc_index (uai, kind, facet_key)' },
  { name: 'acc_index_dup', sql: 'CREATE INDEX acc_index_dup ON acc_index (uai, kind, dup_key)' },
  { name: 'acc_groups_mef', sql: 'CREATE INDEX acc_groups_mef ON acc_groups (uai, kind, mef, facet_key, mef_first) WHERE mef_first = 1' },
  // The notified rows whose letter end is not flagged yet, by date (letter-expiry.ts); 256: the letterExpired bit.
  {
    name: 'acc_index_letter_due',
    sql: "CREATE INDEX acc_index_letter_due ON acc_index (uai, letter_expires_at) WHERE state = 'notifie' AND (attention & 256) = 0",
  },
  {
    name: 'acc_groups_division',
    sql: 'CREATE INDEX acc_groups_division ON acc_groups (uai, kind, division, facet_key, division_first) WHERE division_first = 1',
  },
];
