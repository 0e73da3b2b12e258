import type { Database } from 'better-sqlite3';

/**
 * Version 5: the school records (the establishment's own data per person, initialised from the directory record at
 * the person's first sync, then changed only by imports and accepted changes) and the identity-change review items
 * between them and the directory.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE school_records (
      person_kind TEXT NOT NULL CHECK (person_kind IN ('pupil', 'guardian')),
      person_id   TEXT NOT NULL,
      uai         TEXT NOT NULL,
      -- {lastName, usageName, firstName, firstName2, birthDate, sex, birthCity, email, mobile}
      data        TEXT NOT NULL CHECK (json_valid(data)),
      origin      TEXT NOT NULL CHECK (origin IN ('directory', 'import', 'review')),
      created_at  TEXT NOT NULL,
      updated_at  TEXT NOT NULL,
      PRIMARY KEY (person_kind, person_id)
    ) STRICT;
    CREATE INDEX school_records_uai ON school_records (uai);

    CREATE TABLE review_items (
      id             INTEGER PRIMARY KEY AUTOINCREMENT,
      uai            TEXT NOT NULL,
      person_kind    TEXT NOT NULL CHECK (person_kind IN ('pupil', 'guardian')),
      person_id      TEXT NOT NULL,
      -- "NOM Prénom" from the school record at ingestion: sorts and groups the queue by person
      person_label   TEXT NOT NULL,
      field          TEXT NOT NULL,
      school_value   TEXT,
      previous_value TEXT,
      new_value      TEXT,
      source         TEXT NOT NULL CHECK (source IN ('franceconnect', 'self_service', 'academie')),
      -- 'directory': a dir_identity_changes record; 'contact': a contact difference found in dir_accounts
      origin         TEXT NOT NULL CHECK (origin IN ('directory', 'contact')),
      dir_change_id  TEXT UNIQUE,
      contact_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (contact_confirmed IN (0, 1)),
      low_risk       INTEGER NOT NULL DEFAULT 0 CHECK (low_risk IN (0, 1)),
      detected_at    TEXT NOT NULL,
      ingested_at    TEXT NOT NULL,
      state          TEXT NOT NULL DEFAULT 'pending'
                       CHECK (state IN ('pending', 'accepted', 'rejected', 'deferred', 'superseded', 'conflict')),
      superseded_by  INTEGER REFERENCES review_items (id),
      decided_at     TEXT,
      decided_by     TEXT,
      reason         TEXT,
      outbox_id      INTEGER,
      keyed_at       TEXT,
      keyed_by       TEXT
    ) STRICT;
    CREATE INDEX review_items_queue ON review_items (uai, state, person_label, person_id, id);
    CREATE INDEX review_items_person ON review_items (person_kind, person_id, field, id);
    CREATE INDEX review_items_handoff ON review_items (uai, state, keyed_at);
  `);
}
