import type { Database } from 'better-sqlite3';

/**
 * Version 3: governance. The hash-chained audit trail (append-only: triggers refuse UPDATE and DELETE, except a
 * DELETE while the rollover holds the purge gate, which re-anchors the chain with a checkpoint), the operators seen on
 * this workstation with their offline verifier, sign-in failures (lockout), delegations and rollover archives.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE audit_log (
      id          INTEGER PRIMARY KEY AUTOINCREMENT,
      at          TEXT NOT NULL,
      operator    TEXT,
      role        TEXT,
      method      TEXT NOT NULL,
      transport   TEXT NOT NULL,
      uai         TEXT,
      target_type TEXT,
      target_id   TEXT,
      before      TEXT CHECK (before IS NULL OR json_valid(before)),
      after       TEXT CHECK (after IS NULL OR json_valid(after)),
      reason      TEXT,
      outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'error')),
      error_code  TEXT,
      prev_hash   TEXT NOT NULL,
      hash        TEXT NOT NULL
    ) STRICT;
    CREATE INDEX audit_log_at ON audit_log (at);
    CREATE INDEX audit_log_uai ON audit_log (uai, id);

    -- One row per rollover purge: the hash of the last purged entry is the anchor the first kept entry links to.
    CREATE TABLE audit_checkpoints (
      id             INTEGER PRIMARY KEY AUTOINCREMENT,
      at             TEXT NOT NULL,
      operator       TEXT,
      purged_through INTEGER NOT NULL,
      purged_count   INTEGER NOT NULL,
      anchor_hash    TEXT NOT NULL
    ) STRICT;

    -- Holds one row only inside the rollover's transaction; the DELETE trigger lets deletes through then.
    CREATE TABLE audit_purge_gate (open INTEGER PRIMARY KEY CHECK (open = 1)) STRICT;

    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    WHEN NOT EXISTS (SELECT 1 FROM audit_purge_gate)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
    BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
    CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
    BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;

    -- Operators who signed in online on this workstation: their last known identity and a salted scrypt verifier of
    -- their password (never the password) for offline sign-in and for unlocking.
    CREATE TABLE known_operators (
      login          TEXT PRIMARY KEY,
      display_name   TEXT NOT NULL,
      role           TEXT NOT NULL CHECK (role IN ('chef', 'delegue', 'secretariat')),
      uais           TEXT NOT NULL CHECK (json_valid(uais)),
      verifier       TEXT NOT NULL,
      last_online_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE sign_in_failures (
      login           TEXT PRIMARY KEY,
      failures        INTEGER NOT NULL,
      last_failure_at TEXT NOT NULL,
      locked_until    TEXT
    ) STRICT;

    CREATE TABLE delegations (
      id            INTEGER PRIMARY KEY AUTOINCREMENT,
      uai           TEXT NOT NULL,
      login         TEXT NOT NULL,
      rights        TEXT NOT NULL CHECK (json_valid(rights)),
      ends_on       TEXT NOT NULL,
      granted_by    TEXT NOT NULL,
      granted_at    TEXT NOT NULL,
      note          TEXT,
      revoked_at    TEXT,
      revoked_by    TEXT,
      revoke_reason TEXT
    ) STRICT;
    CREATE INDEX delegations_login ON delegations (login, uai);
    CREATE INDEX delegations_uai ON delegations (uai, id);

    -- What each end-of-year rollover archived (the year's activation figures) and removed.
    CREATE TABLE rollovers (
      id       INTEGER PRIMARY KEY AUTOINCREMENT,
      uai      TEXT NOT NULL,
      at       TEXT NOT NULL,
      operator TEXT NOT NULL,
      summary  TEXT NOT NULL CHECK (json_valid(summary))
    ) STRICT;
  `);
}
