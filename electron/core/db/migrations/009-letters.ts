import type { Database } from 'better-sqlite3';
import { ACCOUNT_SOURCE_TABLES } from './004-accounts';

/**
 * Version 9: credential letters.
 *
 * - The lists gain the account's notification date and letter end (`notified_at`, `letter_expires_at`, UTC ISO) and a
 *   ninth point d'attention, « courrier expiré sans activation ». The facet key grows to 22 bits (attention 9 bits at
 *   9–17, levels at 18–21), so the text indexes' row ids now give the acc_index row id 31 bits instead of 32 (scope
 *   at 53–62, facet key at 31–52). Every facet key and text row id changes: the projection is emptied here and each
 *   establishment with mirror data is marked for a whole rebuild at its next read.
 * - `acc_index_letter_due`: the notified rows whose letter end has not been flagged yet, by date, so the lists find in
 *   one range read the rows whose letter expired since they were computed (accounts/letter-expiry.ts).
 * - `letter_batches` / `letter_batch_accounts`: the letter log — batch, operator, establishment, kind, time, validity
 *   end, files, and each account that got a new temporary password with the file its letter is in. Never a password.
 * - `letter_templates`: the editable text blocks of the letters, per establishment (plain text, JSON).
 */
export function up(db: Database): void {
  db.exec(`
    ALTER TABLE acc_index ADD COLUMN notified_at TEXT;
    ALTER TABLE acc_index ADD COLUMN letter_expires_at TEXT;

    DELETE FROM acc_groups;
    DELETE FROM acc_index;
    DELETE FROM acc_facet_counts;
    DELETE FROM acc_group_counts;
    DELETE FROM acc_dirty_people;
    INSERT INTO acc_fts (acc_fts) VALUES ('delete-all');
    INSERT INTO acc_words (acc_words) VALUES ('delete-all');

    CREATE INDEX acc_index_letter_due ON acc_index (uai, letter_expires_at) WHERE state = 'notifie' AND (attention & 256) = 0;

    CREATE TABLE letter_batches (
      id           TEXT PRIMARY KEY,
      uai          TEXT NOT NULL,
      kind         TEXT NOT NULL CHECK (kind IN ('pupil', 'guardian')),
      operator     TEXT,
      started_at   TEXT NOT NULL,
      finished_at  TEXT,
      state        TEXT NOT NULL CHECK (state IN ('running', 'done', 'cancelled', 'failed')),
      -- The letters' validity end as printed (the latest of the batch's accounts).
      valid_until  TEXT,
      -- JSON array of the files' absolute paths, in order.
      files        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(files)),
      split        TEXT NOT NULL CHECK (split IN ('size', 'class')),
      selected     INTEGER NOT NULL DEFAULT 0,
      skipped      INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX letter_batches_uai ON letter_batches (uai, started_at);

    -- One row per account that got a new temporary password in a batch (written with the reset, in its transaction).
    CREATE TABLE letter_batch_accounts (
      batch_id    TEXT NOT NULL REFERENCES letter_batches (id) ON DELETE CASCADE,
      seq         INTEGER NOT NULL,
      person_kind TEXT NOT NULL CHECK (person_kind IN ('pupil', 'guardian')),
      person_id   TEXT NOT NULL,
      account_id  TEXT NOT NULL,
      login       TEXT NOT NULL,
      file        TEXT NOT NULL,
      no_address  INTEGER NOT NULL DEFAULT 0,
      at          TEXT NOT NULL,
      PRIMARY KEY (batch_id, seq)
    ) STRICT;
    CREATE INDEX letter_batch_accounts_person ON letter_batch_accounts (person_kind, person_id);

    CREATE TABLE letter_templates (
      uai        TEXT PRIMARY KEY,
      blocks     TEXT NOT NULL CHECK (json_valid(blocks)),
      updated_at TEXT NOT NULL,
      updated_by TEXT
    ) STRICT;
  `);
  for (const table of ACCOUNT_SOURCE_TABLES) {
    db.exec(`INSERT INTO acc_dirty (uai, full) SELECT DISTINCT uai, 1 FROM ${table} WHERE true ON CONFLICT (uai) DO UPDATE SET full = 1`);
  }
}
