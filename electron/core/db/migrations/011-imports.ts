import type { Database } from 'better-sqlite3';

/**
 * Version 11: imports of the school base (SIECLE, ONDE, CSV).
 *
 * - `review_items` accepts the origin `import` (a difference between the imported school record and the directory)
 *   and remembers which import raised an item (`import_id`). SQLite cannot change a CHECK constraint in place: the
 *   table is rebuilt with the same rows and ids (AUTOINCREMENT's sequence kept). Its self-reference (`superseded_by`)
 *   is put back only once the new table has the old one's name: copied along, it would point at the old table while
 *   that one is dropped, and SQLite would count a foreign-key violation that no rename clears.
 * - `import_previews`: each preview, its files (their paths and the sha256 of their bytes: the application reads them
 *   again and refuses files changed since), the CSV mapping it used, its counts and problems; who applied it, when.
 * - `import_changes`: the persons a preview (then its application) adds, changes or marks as gone, for paging.
 * - `import_mappings`: per establishment, which CSV column holds each field of a generic CSV.
 * - The mirror indexes the directory's source ids (`sourceIds.siecle` / `.onde`, Directory API v1) of pupils and
 *   guardians, so that an import finds a person by its SIECLE or ONDE id.
 */
export function up(db: Database): void {
  // Ids are never handed out twice, even those of deleted rows: the rebuilt table starts from the old sequence.
  const sequence = (db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'review_items'").pluck().get() as number | undefined) ?? 0;
  db.exec(`
    CREATE TABLE review_items_011 (
      id             INTEGER PRIMARY KEY AUTOINCREMENT,
      uai            TEXT NOT NULL,
      person_kind    TEXT NOT NULL CHECK (person_kind IN ('pupil', 'guardian')),
      person_id      TEXT NOT NULL,
      person_label   TEXT NOT NULL,
      field          TEXT NOT NULL,
      school_value   TEXT,
      previous_value TEXT,
      new_value      TEXT,
      source         TEXT NOT NULL CHECK (source IN ('franceconnect', 'self_service', 'academie')),
      -- 'directory': a dir_identity_changes record; 'contact': a contact difference found in dir_accounts;
      -- 'import': a difference between an imported school record and the directory record
      origin         TEXT NOT NULL CHECK (origin IN ('directory', 'contact', 'import')),
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
      keyed_by       TEXT,
      import_id      TEXT
    ) STRICT;
    INSERT INTO review_items_011 (id, uai, person_kind, person_id, person_label, field, school_value, previous_value, new_value,
      source, origin, dir_change_id, contact_confirmed, low_risk, detected_at, ingested_at, state, superseded_by, decided_at,
      decided_by, reason, outbox_id, keyed_at, keyed_by)
    SELECT id, uai, person_kind, person_id, person_label, field, school_value, previous_value, new_value, source, origin,
      dir_change_id, contact_confirmed, low_risk, detected_at, ingested_at, state, NULL, decided_at, decided_by,
      reason, outbox_id, keyed_at, keyed_by
    FROM review_items;
    CREATE TEMP TABLE review_supersessions AS SELECT id, superseded_by FROM review_items WHERE superseded_by IS NOT NULL;
    DROP TABLE review_items;
    ALTER TABLE review_items_011 RENAME TO review_items;
    UPDATE review_items SET superseded_by = (SELECT s.superseded_by FROM temp.review_supersessions s WHERE s.id = review_items.id)
    WHERE id IN (SELECT id FROM temp.review_supersessions);
    DROP TABLE temp.review_supersessions;
    CREATE INDEX review_items_queue ON review_items (uai, state, person_label, person_id, id);
    CREATE INDEX review_items_person ON review_items (person_kind, person_id, field, id);
    CREATE INDEX review_items_handoff ON review_items (uai, state, keyed_at);
    CREATE INDEX review_items_import ON review_items (import_id) WHERE import_id IS NOT NULL;

    CREATE TABLE import_previews (
      id          TEXT PRIMARY KEY,
      uai         TEXT NOT NULL,
      source      TEXT NOT NULL CHECK (source IN ('siecle', 'onde', 'csv')),
      -- [{name, kind, bytes}]
      files       TEXT NOT NULL CHECK (json_valid(files)),
      -- the files as given (absolute paths), read again by the application
      paths       TEXT NOT NULL CHECK (json_valid(paths)),
      -- sha256 of the files' bytes, in order: changed files are refused at application, the same files recognised
      fingerprint TEXT NOT NULL,
      -- the generic CSV's column mapping the preview used (null for SIECLE and ONDE)
      mapping     TEXT CHECK (mapping IS NULL OR json_valid(mapping)),
      counts      TEXT NOT NULL CHECK (json_valid(counts)),
      problems    TEXT NOT NULL CHECK (json_valid(problems)),
      state       TEXT NOT NULL DEFAULT 'ready' CHECK (state IN ('ready', 'applied', 'discarded')),
      created_at  TEXT NOT NULL,
      created_by  TEXT,
      applied_at  TEXT,
      applied_by  TEXT,
      review_items INTEGER
    ) STRICT;
    CREATE INDEX import_previews_uai ON import_previews (uai, created_at);

    CREATE TABLE import_changes (
      preview_id  TEXT NOT NULL REFERENCES import_previews (id) ON DELETE CASCADE,
      n           INTEGER NOT NULL,
      person_kind TEXT NOT NULL CHECK (person_kind IN ('pupil', 'guardian')),
      person_id   TEXT NOT NULL,
      status      TEXT NOT NULL CHECK (status IN ('new', 'changed', 'left', 'unchanged')),
      label       TEXT NOT NULL,
      -- {ine, division, fields: [{field, before, after}]}
      detail      TEXT NOT NULL CHECK (json_valid(detail)),
      PRIMARY KEY (preview_id, n)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX import_changes_status ON import_changes (preview_id, status, person_kind, n);

    CREATE TABLE import_mappings (
      uai        TEXT PRIMARY KEY,
      mapping    TEXT NOT NULL CHECK (json_valid(mapping)),
      updated_at TEXT NOT NULL,
      updated_by TEXT
    ) STRICT;

    ALTER TABLE dir_pupils ADD COLUMN source_siecle TEXT GENERATED ALWAYS AS (json_extract(data, '$.sourceIds.siecle')) VIRTUAL;
    ALTER TABLE dir_pupils ADD COLUMN source_onde TEXT GENERATED ALWAYS AS (json_extract(data, '$.sourceIds.onde')) VIRTUAL;
    ALTER TABLE dir_guardians ADD COLUMN source_siecle TEXT GENERATED ALWAYS AS (json_extract(data, '$.sourceIds.siecle')) VIRTUAL;
    ALTER TABLE dir_guardians ADD COLUMN source_onde TEXT GENERATED ALWAYS AS (json_extract(data, '$.sourceIds.onde')) VIRTUAL;
    CREATE INDEX dir_pupils_source_siecle ON dir_pupils (uai, source_siecle) WHERE source_siecle IS NOT NULL;
    CREATE INDEX dir_pupils_source_onde ON dir_pupils (uai, source_onde) WHERE source_onde IS NOT NULL;
    CREATE INDEX dir_guardians_source_siecle ON dir_guardians (uai, source_siecle) WHERE source_siecle IS NOT NULL;
    CREATE INDEX dir_guardians_source_onde ON dir_guardians (uai, source_onde) WHERE source_onde IS NOT NULL;
  `);
  db.prepare("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'review_items'").run(sequence);
  if (sequence > 0) db.prepare("INSERT INTO sqlite_sequence (name, seq) SELECT 'review_items', ? WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'review_items')").run(sequence);
}
