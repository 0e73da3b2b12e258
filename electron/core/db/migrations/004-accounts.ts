import type { Database } from 'better-sqlite3';

/** Mirror tables whose changes make an establishment's account projection stale. */
export const ACCOUNT_SOURCE_TABLES = ['dir_pupils', 'dir_guardians', 'dir_links', 'dir_accounts'] as const;

/**
 * Version 4: the account lists' projection over the directory mirror.
 *
 * `acc_index` holds one row per pupil and per guardian who holds (or should hold) an account, with everything the
 * lists filter and sort on already computed (accent-folded names, contact and family statuses, points d'attention as
 * a bit mask); `acc_groups` the MEF/division/level of each pupil and of each guardian's children; `acc_fts` a trigram
 * index of the folded names, INE and login for substring search.
 *
 * Keeping it current: triggers on the mirror tables mark the establishment in `acc_dirty` in the very transaction of
 * the mirror write (so the sync code stays untouched and nothing is missed, crash or not); the accounts service
 * rebuilds a marked establishment before its next read. Family statuses and duplicates depend on other rows of the
 * establishment, so a per-establishment rebuild is the simple correct unit.
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
      UNIQUE (kind, person_id)
    ) STRICT;
    CREATE INDEX acc_index_name ON acc_index (uai, kind, sort_name);
    CREATE INDEX acc_index_state ON acc_index (uai, kind, state);
    CREATE INDEX acc_index_login ON acc_index (uai, kind, login);
    CREATE INDEX acc_index_activated ON acc_index (uai, kind, activated_at);
    CREATE INDEX acc_index_last_login ON acc_index (uai, kind, last_login_at);
    CREATE INDEX acc_index_division ON acc_index (uai, kind, division, sort_name);
    CREATE INDEX acc_index_account ON acc_index (account_id);

    CREATE TABLE acc_groups (
      row_id   INTEGER NOT NULL,
      uai      TEXT NOT NULL,
      kind     TEXT NOT NULL,
      mef      TEXT NOT NULL,
      division TEXT NOT NULL,
      level    TEXT NOT NULL,
      PRIMARY KEY (row_id, mef, division)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX acc_groups_mef ON acc_groups (uai, kind, mef, row_id);
    CREATE INDEX acc_groups_division ON acc_groups (uai, kind, division, row_id);
    CREATE INDEX acc_groups_level ON acc_groups (uai, kind, level, row_id);

    CREATE VIRTUAL TABLE acc_fts USING fts5(search, tokenize = 'trigram');

    CREATE TABLE acc_dirty (uai TEXT PRIMARY KEY) STRICT;

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
  // Not INSERT OR IGNORE: a conflict clause of the outer statement (the mirror's upsert) would override the trigger's.
  const mark = (row: 'NEW' | 'OLD') =>
    `INSERT INTO acc_dirty (uai) SELECT ${row}.uai WHERE NOT EXISTS (SELECT 1 FROM acc_dirty WHERE uai = ${row}.uai);`;
  for (const table of ACCOUNT_SOURCE_TABLES) {
    db.exec(`
      CREATE TRIGGER ${table}_acc_insert AFTER INSERT ON ${table} BEGIN ${mark('NEW')} END;
      CREATE TRIGGER ${table}_acc_update AFTER UPDATE ON ${table} BEGIN ${mark('NEW')} ${mark('OLD')} END;
      CREATE TRIGGER ${table}_acc_delete AFTER DELETE ON ${table} BEGIN ${mark('OLD')} END;
      INSERT OR IGNORE INTO acc_dirty (uai) SELECT DISTINCT uai FROM ${table};
    `);
  }
}
