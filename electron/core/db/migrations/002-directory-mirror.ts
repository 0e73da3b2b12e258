import type { Database } from 'better-sqlite3';

/**
 * Version 2: the offline mirror of the national directory, its sync bookkeeping and the outbox of local mutations.
 *
 * Mirror tables (`dir_*`) keep the record exactly as received (`data`, unknown fields included) and expose the
 * fields later screens filter on as STORED generated columns, so no code ever parses JSON to search. A tombstone is
 * a row with `deleted = 1` and empty data: it keeps its version so an older upsert can never resurrect it.
 */

interface MirrorTable {
  name: string;
  /** [column, type, JSON path] of each generated column. */
  columns: [string, 'TEXT' | 'INTEGER', string][];
  /** Column lists of the secondary indexes (each prefixed with the table name). */
  indexes: string[][];
}

export const MIRROR_TABLES: MirrorTable[] = [
  {
    name: 'dir_pupils',
    columns: [
      ['ine', 'TEXT', '$.ine'],
      ['last_name', 'TEXT', '$.lastName'],
      ['usage_name', 'TEXT', '$.usageName'],
      ['first_name', 'TEXT', '$.firstName'],
      ['birth_date', 'TEXT', '$.birthDate'],
      ['mef', 'TEXT', '$.mef'],
      ['division', 'TEXT', '$.division'],
    ],
    indexes: [['uai', 'last_name', 'first_name'], ['ine'], ['uai', 'mef'], ['uai', 'division']],
  },
  {
    name: 'dir_guardians',
    columns: [
      ['last_name', 'TEXT', '$.lastName'],
      ['usage_name', 'TEXT', '$.usageName'],
      ['first_name', 'TEXT', '$.firstName'],
      ['email', 'TEXT', '$.email'],
      ['mobile', 'TEXT', '$.mobile'],
    ],
    indexes: [['uai', 'last_name', 'first_name']],
  },
  {
    name: 'dir_links',
    columns: [
      ['guardian_id', 'TEXT', '$.guardianId'],
      ['pupil_id', 'TEXT', '$.pupilId'],
      ['level', 'INTEGER', '$.level'],
    ],
    indexes: [['guardian_id'], ['pupil_id']],
  },
  {
    name: 'dir_accounts',
    columns: [
      ['person_kind', 'TEXT', '$.personKind'],
      ['person_id', 'TEXT', '$.personId'],
      ['login', 'TEXT', '$.login'],
      ['state', 'TEXT', '$.state'],
    ],
    indexes: [['person_id'], ['login'], ['uai', 'state']],
  },
  {
    name: 'dir_identity_changes',
    columns: [
      ['person_kind', 'TEXT', '$.personKind'],
      ['person_id', 'TEXT', '$.personId'],
      ['field', 'TEXT', '$.field'],
      ['status', 'TEXT', '$.status'],
    ],
    indexes: [['person_id'], ['uai', 'status', 'field']],
  },
  { name: 'dir_establishment_settings', columns: [], indexes: [] },
];

function mirrorTableSql(table: MirrorTable): string {
  const generated = table.columns.map(
    ([column, type, path]) => `,\n      ${column} ${type} GENERATED ALWAYS AS (json_extract(data, '${path}')) STORED`,
  );
  const indexes = table.indexes.map(
    (cols) => `CREATE INDEX ${table.name}_${cols.join('_')} ON ${table.name} (${cols.join(', ')});`,
  );
  return `
    CREATE TABLE ${table.name} (
      id      TEXT PRIMARY KEY,
      uai     TEXT NOT NULL,
      version INTEGER NOT NULL,
      seq     INTEGER,
      deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
      data    TEXT NOT NULL CHECK (json_valid(data))${generated.join('')}
    ) STRICT;
    CREATE INDEX ${table.name}_uai ON ${table.name} (uai, deleted);
    ${indexes.join('\n    ')}
  `;
}

export function up(db: Database): void {
  db.exec(MIRROR_TABLES.map(mirrorTableSql).join('\n'));
  db.exec(`
    -- A full snapshot (after an expired cursor or a count mismatch) lands here first, then replaces the live rows of
    -- its establishment in one transaction. One table for every record type keeps the swap a range scan per type.
    CREATE TABLE dir_staging (
      uai     TEXT NOT NULL,
      type    TEXT NOT NULL,
      id      TEXT NOT NULL,
      version INTEGER NOT NULL,
      data    TEXT NOT NULL,
      PRIMARY KEY (uai, type, id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE sync_state (
      uai                 TEXT PRIMARY KEY,
      cursor              TEXT,
      -- a snapshot in progress: the next page to fetch, the feed position it was taken at, and where it writes
      snapshot_next_page  TEXT,
      snapshot_cursor     TEXT,
      snapshot_target     TEXT CHECK (snapshot_target IS NULL OR snapshot_target IN ('live', 'staging')),
      snapshot_started_at TEXT,
      last_success_at     TEXT,
      last_error_code     TEXT,
      last_error_message  TEXT,
      -- the last comparison with the directory's own counts: {local:{…}, directory:{…}, checkedAt}
      totals              TEXT CHECK (totals IS NULL OR json_valid(totals))
    ) STRICT;

    CREATE TABLE sync_runs (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      uai             TEXT NOT NULL,
      started_at      TEXT NOT NULL,
      ended_at        TEXT,
      outcome         TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'success', 'error', 'interrupted')),
      mode            TEXT NOT NULL DEFAULT 'delta' CHECK (mode IN ('delta', 'snapshot', 'resync')),
      records_applied INTEGER NOT NULL DEFAULT 0,
      pages           INTEGER NOT NULL DEFAULT 0,
      error_code      TEXT,
      error_message   TEXT,
      notes           TEXT
    ) STRICT;
    CREATE INDEX sync_runs_uai ON sync_runs (uai, id);

    CREATE TABLE outbox (
      id              INTEGER PRIMARY KEY AUTOINCREMENT,
      uai             TEXT NOT NULL,
      idempotency_key TEXT NOT NULL UNIQUE,
      kind            TEXT NOT NULL,
      target_type     TEXT NOT NULL,
      target_id       TEXT NOT NULL,
      if_match        INTEGER,
      payload         TEXT NOT NULL CHECK (json_valid(payload)),
      state           TEXT NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'in_flight', 'done', 'failed', 'conflict')),
      attempts        INTEGER NOT NULL DEFAULT 0,
      next_attempt_at TEXT,
      last_status     INTEGER,
      last_error      TEXT,
      created_at      TEXT NOT NULL,
      updated_at      TEXT NOT NULL,
      result          TEXT CHECK (result IS NULL OR json_valid(result))
    ) STRICT;
    CREATE INDEX outbox_state ON outbox (state, id);
    CREATE INDEX outbox_target ON outbox (target_type, target_id);

    -- GET /v1/establishments gives city and academy; the directory may add kinds we do not know yet ('autre').
    ALTER TABLE establishments ADD COLUMN city TEXT;
    ALTER TABLE establishments ADD COLUMN academy TEXT;
    ALTER TABLE establishments ADD COLUMN updated_at TEXT;
  `);
}
