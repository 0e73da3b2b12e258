import type { Database } from 'better-sqlite3';

/** Version 1: application settings and the establishments this mirror holds (everything else is keyed by UAI). */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE settings (
      key   TEXT PRIMARY KEY,
      value TEXT NOT NULL CHECK (json_valid(value))
    ) STRICT;

    CREATE TABLE establishments (
      uai        TEXT PRIMARY KEY CHECK (length(uai) = 8),
      name       TEXT NOT NULL,
      kind       TEXT NOT NULL CHECK (kind IN ('ecole', 'college', 'lycee', 'autre')),
      is_private INTEGER NOT NULL DEFAULT 0 CHECK (is_private IN (0, 1)),
      raw        TEXT CHECK (raw IS NULL OR json_valid(raw))
    ) STRICT;
  `);
}
