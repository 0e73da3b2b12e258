import type { Database } from 'better-sqlite3';

/** Mirror tables whose changes make an establishment's account projection stale. */
export const ACCOUNT_SOURCE_TABLES = ['dir_pupils', 'dir_guardians', 'dir_links', 'dir_accounts'] as const;

/** What each sort/filter index carries after its sort key, so that filtered pages and counts never read the table. */
const COVERED = 'state, family, email_status, mobile_status, attention, levels';

/**
 * The sort keys of the lists (see query.ts `orderOf`): empty values last in both directions, then the name and the
 * row id ascending. One index per key and direction, each covering the scalar filters, so a filtered page is an
 * ordered index scan that stops after the page.
 */
export const SORT_INDEXES: { name: string; key: string }[] = [
  { name: 'acc_index_name', key: 'sort_name' },
  ...(['login', 'division', 'activated_at', 'last_login_at', 'ine'] as const).flatMap((c) => [
    { name: `acc_index_${c}_asc`, key: `${c} IS NULL, ${c}, sort_name` },
    { name: `acc_index_${c}_desc`, key: `${c} IS NULL, ${c} DESC, sort_name` },
  ]),
  { name: 'acc_index_state_asc', key: 'state, sort_name' },
  { name: 'acc_index_state_desc', key: 'state DESC, sort_name' },
];

/**
 * The indexes the lists read through. A whole rebuild of a large establishment drops and recreates them (building an
 * index from sorted rows is far cheaper than maintaining a dozen of them row by row). The acc_groups ones repeat their
 * WHERE column: without it the planner does not see them as covering.
 */
export const ACCOUNT_LIST_INDEXES: { name: string; sql: string }[] = [
  ...SORT_INDEXES.map(({ name, key }) => ({ name, sql: `CREATE INDEX ${name} ON acc_index (uai, kind, ${key}, row_id, ${COVERED})` })),
  { name: 'acc_index_filter', sql: `CREATE INDEX acc_index_filter ON acc_index (uai, kind, ${COVERED})` },
  { name: 'acc_index_facet', sql: 'CREATE INDEX acc_index_facet ON acc_index (uai, kind, facet_key)' },
  { name: 'acc_index_dup', sql: 'CREATE INDEX acc_index_dup ON acc_index (uai, kind, dup_key)' },
  { name: 'acc_groups_mef', sql: 'CREATE INDEX acc_groups_mef ON acc_groups (uai, kind, mef, facet_key, mef_first) WHERE mef_first = 1' },
  {
    name: 'acc_groups_division',
    sql: 'CREATE INDEX acc_groups_division ON acc_groups (uai, kind, division, facet_key, division_first) WHERE division_first = 1',
  },
];

/**
 * Version 4: the account lists' projection over the directory mirror.
 *
 * `acc_index` holds one row per pupil and per guardian who holds (or should hold) an account, with everything the
 * lists filter and sort on already computed (accent-folded names, contact and family statuses, points d'attention and
 * levels as bit masks, `facet_key` packing every scalar filter value for the counts); `acc_groups` the
 * MEF/division/level of each pupil and of each guardian's children, with the row's `facet_key`; `acc_fts` a trigram
 * index of the folded names, INE and login for substring search.
 *
 * Keeping it current: triggers on the mirror tables record the changed people (`acc_dirty_people`: the person, or
 * both ends of a link, or an account's holder) and mark the establishment in `acc_dirty`, in the very transaction of
 * the mirror write (so the sync code stays untouched and nothing is missed, crash or not). Before its next read the
 * accounts service recomputes only the rows those changes can affect (their families and probable duplicates
 * included); `acc_dirty.full` (set here for existing data) or a large change asks for a whole rebuild instead.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE acc_index (
      row_id        INTEGER PRIMARY KEY,
      uai           TEXT NOT NULL,
      kind          TEXT NOT NULL CHECK (kind IN ('pupil', 'guardian')),
      person_id     TEXT NOT NULL,
      person_version INTEGER NOT NULL,
      account_id    TEXT,
      account_version INTEGER,
      login         TEXT,
      state         TEXT NOT NULL,
      activated_at  TEXT,
      last_login_at TEXT,
      last_name     TEXT NOT NULL,
      first_name    TEXT NOT NULL,
      display_name  TEXT NOT NULL,
      sort_name     TEXT NOT NULL,
      search        TEXT NOT NULL,
      ine           TEXT,
      birth_date    TEXT,
      mef           TEXT,
      division      TEXT,
      email         TEXT,
      email_status  TEXT NOT NULL,
      mobile        TEXT,
      mobile_status TEXT NOT NULL,
      family        TEXT NOT NULL,
      attention     INTEGER NOT NULL DEFAULT 0,
      levels        INTEGER NOT NULL DEFAULT 0,
      facet_key     INTEGER NOT NULL DEFAULT 0,
      dup_key       TEXT,
      UNIQUE (kind, person_id)
    ) STRICT;
    CREATE INDEX acc_index_account ON acc_index (account_id);

    CREATE TABLE acc_groups (
      row_id   INTEGER NOT NULL,
      uai      TEXT NOT NULL,
      kind     TEXT NOT NULL,
      mef      TEXT NOT NULL,
      division TEXT NOT NULL,
      level    TEXT NOT NULL,
      facet_key INTEGER NOT NULL DEFAULT 0,
      -- 1 on the first of a row's groups with this MEF (classe): counting those counts each person once per value.
      mef_first      INTEGER NOT NULL DEFAULT 1,
      division_first INTEGER NOT NULL DEFAULT 1,
      PRIMARY KEY (row_id, mef, division)
    ) STRICT, WITHOUT ROWID;

    CREATE VIRTUAL TABLE acc_fts USING fts5(search, tokenize = 'trigram');

    -- full = 1: rebuild the whole establishment; else only the rows acc_dirty_people's changes can affect.
    CREATE TABLE acc_dirty (uai TEXT PRIMARY KEY, full INTEGER NOT NULL DEFAULT 0) STRICT;
    CREATE TABLE acc_dirty_people (
      uai       TEXT NOT NULL,
      kind      TEXT NOT NULL,
      person_id TEXT NOT NULL,
      PRIMARY KEY (uai, kind, person_id)
    ) STRICT, WITHOUT ROWID;

    -- What operators did from the Comptes page (the outbox row carries the mutation; this the who, why and when).
    CREATE TABLE acc_actions (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      uai         TEXT NOT NULL,
      person_kind TEXT NOT NULL CHECK (person_kind IN ('pupil', 'guardian')),
      person_id   TEXT NOT NULL,
      action      TEXT NOT NULL,
      outbox_id   INTEGER,
      operator    TEXT,
      reason      TEXT,
      outcome     TEXT NOT NULL CHECK (outcome IN ('queued', 'done', 'refused')),
      message     TEXT,
      at          TEXT NOT NULL
    ) STRICT;
    CREATE INDEX acc_actions_person ON acc_actions (person_kind, person_id, id);

    -- Columns and page size chosen per operator and list.
    CREATE TABLE acc_preferences (
      operator TEXT NOT NULL,
      kind     TEXT NOT NULL CHECK (kind IN ('pupil', 'guardian')),
      value    TEXT NOT NULL CHECK (json_valid(value)),
      PRIMARY KEY (operator, kind)
    ) STRICT;
  `);
  for (const index of ACCOUNT_LIST_INDEXES) db.exec(index.sql);
  // Not INSERT OR IGNORE: a conflict clause of the outer statement (the mirror's upsert) would override the trigger's.
  const mark = (row: 'NEW' | 'OLD') =>
    `INSERT INTO acc_dirty (uai) SELECT ${row}.uai WHERE NOT EXISTS (SELECT 1 FROM acc_dirty WHERE uai = ${row}.uai);`;
  const person = (row: 'NEW' | 'OLD', kind: string, id: string) =>
    `INSERT INTO acc_dirty_people (uai, kind, person_id) SELECT ${row}.uai, ${kind}, ${id}
       WHERE ${id} IS NOT NULL AND ${kind} IN ('pupil', 'guardian') AND NOT EXISTS
         (SELECT 1 FROM acc_dirty_people WHERE uai = ${row}.uai AND kind = ${kind} AND person_id = ${id});`;
  // Who a write to each table concerns (a tombstone's data is '{}': its OLD row still names the people).
  const people: Record<(typeof ACCOUNT_SOURCE_TABLES)[number], (row: 'NEW' | 'OLD') => string> = {
    dir_pupils: (row) => person(row, "'pupil'", `${row}.id`),
    dir_guardians: (row) => person(row, "'guardian'", `${row}.id`),
    dir_links: (row) => person(row, "'pupil'", `${row}.pupil_id`) + person(row, "'guardian'", `${row}.guardian_id`),
    dir_accounts: (row) => person(row, `${row}.person_kind`, `${row}.person_id`),
  };
  for (const table of ACCOUNT_SOURCE_TABLES) {
    const touched = (row: 'NEW' | 'OLD') => `${mark(row)} ${people[table](row)}`;
    db.exec(`
      CREATE TRIGGER ${table}_acc_insert AFTER INSERT ON ${table} BEGIN ${touched('NEW')} END;
      CREATE TRIGGER ${table}_acc_update AFTER UPDATE ON ${table} BEGIN ${touched('NEW')} ${touched('OLD')} END;
      CREATE TRIGGER ${table}_acc_delete AFTER DELETE ON ${table} BEGIN ${touched('OLD')} END;
      INSERT INTO acc_dirty (uai, full) SELECT DISTINCT uai, 1 FROM ${table} WHERE true
        ON CONFLICT (uai) DO UPDATE SET full = 1;
    `);
  }
}
