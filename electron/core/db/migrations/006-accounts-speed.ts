import type { Database } from 'better-sqlite3';
import { ACCOUNT_LIST_INDEXES as V4_LIST_INDEXES, ACCOUNT_SOURCE_TABLES } from './004-accounts';

/**
 * The sort keys of the lists (see query.ts `orderOf`): empty values last in both directions, then the name and the
 * row id ascending. One index per key and direction, each carrying the row's `facet_key` (every scalar filter value
 * packed in one integer), so a filtered page is an ordered index scan with bit tests that stops after the page.
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
 * index from sorted rows is far cheaper than maintaining a dozen of them row by row). `acc_index_facet` finds the rows
 * of a few facet keys (a selective filter); the acc_groups ones repeat their WHERE column: without it the planner
 * does not see them as covering.
 */
export const ACCOUNT_LIST_INDEXES: { name: string; sql: string }[] = [
  ...SORT_INDEXES.map(({ name, key }) => ({ name, sql: `CREATE INDEX ${name} ON acc_index (uai, kind, ${key}, row_id, facet_key)` })),
  { name: 'acc_index_facet', sql: 'CREATE INDEX acc_index_facet ON acc_index (uai, kind, facet_key)' },
  { name: 'acc_index_dup', sql: 'CREATE INDEX acc_index_dup ON acc_index (uai, kind, dup_key)' },
  { name: 'acc_groups_mef', sql: 'CREATE INDEX acc_groups_mef ON acc_groups (uai, kind, mef, facet_key, mef_first) WHERE mef_first = 1' },
  {
    name: 'acc_groups_division',
    sql: 'CREATE INDEX acc_groups_division ON acc_groups (uai, kind, division, facet_key, division_first) WHERE division_first = 1',
  },
];

/**
 * Version 6: the account lists at 100,000+ rows per list.
 *
 * - Text indexes whose row id embeds the list and the filters: `(scope << 53) | (facet_key << 32) | row_id`, where
 *   `acc_scopes` numbers each (establishment, kind). A text count is then a walk of the matching row ids within the
 *   list's rowid range with bit tests, never a lookup in acc_index. `acc_fts` (trigram, substrings of 3 characters
 *   or more) is recreated so; `acc_words` (words, with prefix indexes) answers the 1- and 2-character terms, which
 *   match the start of a word.
 * - `acc_facet_counts` and `acc_group_counts`: the number of rows per facet key, and per MEF/classe and facet key,
 *   of each list (and per MEF/classe value), kept exact by the projection's writes. Counts without text are sums over
 *   them.
 * - The sort indexes carry `facet_key` instead of the six filter columns (narrower; one bit test per row).
 * - Triggers that stop recording people once an establishment is to be rebuilt whole (a first sync records none).
 *
 * The projection is derived data: it is emptied here and rebuilt on the next read.
 */
export function up(db: Database): void {
  for (const index of V4_LIST_INDEXES) db.exec(`DROP INDEX IF EXISTS ${index.name}`);
  db.exec(`
    DROP INDEX IF EXISTS acc_index_filter;
    DELETE FROM acc_groups;
    DELETE FROM acc_index;
    DELETE FROM acc_dirty_people;
    DROP TABLE acc_fts;

    CREATE TABLE acc_scopes (
      scope INTEGER PRIMARY KEY CHECK (scope BETWEEN 1 AND 1023),
      uai   TEXT NOT NULL,
      kind  TEXT NOT NULL CHECK (kind IN ('pupil', 'guardian')),
      UNIQUE (uai, kind)
    ) STRICT;

    -- The text is folded already (acc_index.search): case_sensitive 1 and remove_diacritics 0 keep it as it is, so a
    -- trigram phrase matches exactly the substring and a word prefix exactly the word's start. Contentless: the row id
    -- is all a list reads back.
    CREATE VIRTUAL TABLE acc_fts USING fts5(search, tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1);
    CREATE VIRTUAL TABLE acc_words USING fts5(
      search, tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2', detail = none, content = '', contentless_delete = 1
    );

    CREATE TABLE acc_facet_counts (
      uai       TEXT NOT NULL,
      kind      TEXT NOT NULL,
      facet_key INTEGER NOT NULL,
      n         INTEGER NOT NULL,
      PRIMARY KEY (uai, kind, facet_key)
    ) STRICT, WITHOUT ROWID;
    -- Rows per MEF (classe) value and facet key, counting the groups flagged mef_first (division_first); facet_key -1:
    -- the value's total.
    CREATE TABLE acc_group_counts (
      uai       TEXT NOT NULL,
      kind      TEXT NOT NULL,
      field     TEXT NOT NULL CHECK (field IN ('mef', 'division')),
      value     TEXT NOT NULL,
      facet_key INTEGER NOT NULL,
      n         INTEGER NOT NULL,
      PRIMARY KEY (uai, kind, field, value, facet_key)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX acc_group_totals ON acc_group_counts (uai, kind, field, value, n) WHERE facet_key = -1;
  `);
  for (const index of ACCOUNT_LIST_INDEXES) db.exec(index.sql);

  // Not INSERT OR IGNORE: a conflict clause of the outer statement (the mirror's upsert) would override the trigger's.
  // An establishment without projection rows is marked for a whole rebuild at its first write.
  const mark = (row: 'NEW' | 'OLD', guard = '') =>
    `INSERT INTO acc_dirty (uai, full) SELECT ${row}.uai, NOT EXISTS (SELECT 1 FROM acc_index WHERE uai = ${row}.uai)
       WHERE ${guard} NOT EXISTS (SELECT 1 FROM acc_dirty WHERE uai = ${row}.uai);`;
  // People are not recorded for an establishment that will be rebuilt whole anyway.
  const person = (row: 'NEW' | 'OLD', kind: string, id: string, guard: string) =>
    `INSERT INTO acc_dirty_people (uai, kind, person_id) SELECT ${row}.uai, ${kind}, ${id}
       WHERE ${guard} ${id} IS NOT NULL AND ${kind} IN ('pupil', 'guardian')
         AND NOT EXISTS (SELECT 1 FROM acc_dirty WHERE uai = ${row}.uai AND full = 1)
         AND NOT EXISTS (SELECT 1 FROM acc_dirty_people WHERE uai = ${row}.uai AND kind = ${kind} AND person_id = ${id});`;
  // Who a write to each table concerns (a tombstone's data is '{}': its OLD row still names the people). On an update,
  // the OLD people are recorded only when they differ from the NEW ones.
  const people: Record<(typeof ACCOUNT_SOURCE_TABLES)[number], (row: 'NEW' | 'OLD', onlyIfMoved: boolean) => string> = {
    dir_pupils: (row, moved) => person(row, "'pupil'", `${row}.id`, moved ? 'OLD.uai IS NOT NEW.uai AND' : ''),
    dir_guardians: (row, moved) => person(row, "'guardian'", `${row}.id`, moved ? 'OLD.uai IS NOT NEW.uai AND' : ''),
    dir_links: (row, moved) =>
      person(row, "'pupil'", `${row}.pupil_id`, moved ? '(OLD.uai IS NOT NEW.uai OR OLD.pupil_id IS NOT NEW.pupil_id) AND' : '') +
      person(row, "'guardian'", `${row}.guardian_id`, moved ? '(OLD.uai IS NOT NEW.uai OR OLD.guardian_id IS NOT NEW.guardian_id) AND' : ''),
    dir_accounts: (row, moved) =>
      person(
        row,
        `${row}.person_kind`,
        `${row}.person_id`,
        moved ? '(OLD.uai IS NOT NEW.uai OR OLD.person_kind IS NOT NEW.person_kind OR OLD.person_id IS NOT NEW.person_id) AND' : '',
      ),
  };
  for (const table of ACCOUNT_SOURCE_TABLES) {
    db.exec(`
      DROP TRIGGER ${table}_acc_insert;
      DROP TRIGGER ${table}_acc_update;
      DROP TRIGGER ${table}_acc_delete;
      CREATE TRIGGER ${table}_acc_insert AFTER INSERT ON ${table} BEGIN ${mark('NEW')} ${people[table]('NEW', false)} END;
      CREATE TRIGGER ${table}_acc_update AFTER UPDATE ON ${table} BEGIN
        ${mark('NEW')} ${people[table]('NEW', false)} ${mark('OLD', 'OLD.uai IS NOT NEW.uai AND')} ${people[table]('OLD', true)}
      END;
      CREATE TRIGGER ${table}_acc_delete AFTER DELETE ON ${table} BEGIN ${mark('OLD')} ${people[table]('OLD', false)} END;
      INSERT INTO acc_dirty (uai, full) SELECT DISTINCT uai, 1 FROM ${table} WHERE true
        ON CONFLICT (uai) DO UPDATE SET full = 1;
    `);
  }
}
