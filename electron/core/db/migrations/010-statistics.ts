import type { Database } from 'better-sqlite3';

/**
 * Version 10: activation statistics over the year.
 *
 * - `stats_snapshots`: after each successful sync run of an establishment, the figures of its dashboard (computed from
 *   the account projection's count tables), dated with the directory's own date (its clock may differ from this
 *   workstation's: the demo directory's moves with POST /admin/advance). One row per establishment and directory date:
 *   a later sync the same day replaces it.
 * - `stats_directory_days`: the directory's activation history (GET /v1/establishments/{uai}/activation-history), one
 *   row per day since Sept 1, as last received: it covers the days before this workstation's first sync.
 * - `dir_accounts_letter_expiry`: the notified accounts by letter expiry, so the expired letters are an index range
 *   count, never a scan of the accounts (the projection's facet keys carry no date). Partial: only notified accounts
 *   enter it, so the mirror's writes of other accounts do not pay for it.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE stats_snapshots (
      uai                 TEXT NOT NULL,
      date                TEXT NOT NULL,
      taken_at            TEXT NOT NULL,
      pupils              INTEGER NOT NULL,
      pupils_activated    INTEGER NOT NULL,
      pupils_notified     INTEGER NOT NULL,
      guardians           INTEGER NOT NULL,
      guardians_activated INTEGER NOT NULL,
      guardians_notified  INTEGER NOT NULL,
      families_activated  INTEGER NOT NULL,
      expired_letters     INTEGER NOT NULL,
      PRIMARY KEY (uai, date)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE stats_directory_days (
      uai                 TEXT NOT NULL,
      date                TEXT NOT NULL,
      pupils              INTEGER NOT NULL,
      pupils_activated    INTEGER NOT NULL,
      guardians           INTEGER NOT NULL,
      guardians_activated INTEGER NOT NULL,
      PRIMARY KEY (uai, date)
    ) STRICT, WITHOUT ROWID;

    CREATE INDEX dir_accounts_letter_expiry ON dir_accounts (uai, person_kind, json_extract(data, '$.letterExpiresAt'))
      WHERE state = 'notifie' AND deleted = 0;
  `);
}
