/**
 * School records: the establishment's own data about each person, kept apart from the directory mirror. A record is
 * initialised from the directory record at the person's first sync, then changes only through imports and accepted
 * identity changes; a directory change never overwrites it by itself.
 *
 * An import adds what the school base holds beyond the identity fields (INE, MEF, class, contacts, address, the
 * SIECLE/ONDE ids…). A person the directory does not know yet gets a record under a local id (`imp-…`); once the
 * directory has that person (found by INE or SIECLE/ONDE id), the record is adopted under the directory's id.
 */
import type { Database, Statement } from 'better-sqlite3';
import { IdentityField, type PersonKind } from '../../../shared/directory/wire';

export const SCHOOL_FIELDS: readonly IdentityField[] = IdentityField.options;

/** The identity fields the review compares, and whatever else an import brought (imports/model.ts `SchoolFields`). */
export type SchoolRecordData = Partial<Record<IdentityField, string | null>> & Record<string, unknown>;

/** The prefix of the local ids of persons the directory does not know yet. */
export const LOCAL_ID_PREFIX = 'imp-';

export interface SchoolRecord {
  personKind: PersonKind;
  personId: string;
  uai: string;
  data: SchoolRecordData;
  origin: 'directory' | 'import' | 'review';
  updatedAt: string;
}

interface Row {
  person_kind: PersonKind;
  person_id: string;
  uai: string;
  data: string;
  origin: SchoolRecord['origin'];
  updated_at: string;
}

const MIRROR_OF: Record<PersonKind, string> = { pupil: 'dir_pupils', guardian: 'dir_guardians' };

/** json_object(...) of the school fields taken from a mirror row's data (absent fields become null). */
const fieldsFromMirror = `json_object(${SCHOOL_FIELDS.map((f) => `'${f}', json_extract(m.data, '$.${f}')`).join(', ')})`;

export function getSchoolRecord(db: Database, personKind: PersonKind, personId: string): SchoolRecord | null {
  const row = db
    .prepare('SELECT * FROM school_records WHERE person_kind = ? AND person_id = ?')
    .get(personKind, personId) as Row | undefined;
  return row
    ? {
        personKind: row.person_kind,
        personId: row.person_id,
        uai: row.uai,
        data: JSON.parse(row.data) as SchoolRecordData,
        origin: row.origin,
        updatedAt: row.updated_at,
      }
    : null;
}

export function schoolValue(db: Database, personKind: PersonKind, personId: string, field: IdentityField): string | null {
  const value = db
    .prepare(`SELECT json_extract(data, '$.' || ?) FROM school_records WHERE person_kind = ? AND person_id = ?`)
    .pluck()
    .get(field, personKind, personId) as string | null | undefined;
  return value ?? null;
}

/**
 * Creates the school records of persons of the mirror that have none yet, at most `limit` per call (one chunk, in
 * the caller's transaction). Returns how many were created and the last person id seen, to continue from.
 */
export function initialiseChunk(
  db: Database,
  uai: string,
  personKind: PersonKind,
  afterId: string,
  limit: number,
  now: string,
): { created: number; lastId: string | null } {
  const table = MIRROR_OF[personKind];
  const ids = db
    .prepare(`SELECT id FROM ${table} WHERE uai = ? AND deleted = 0 AND id > ? ORDER BY id LIMIT ?`)
    .pluck()
    .all(uai, afterId, limit) as string[];
  if (ids.length === 0) return { created: 0, lastId: null };
  const lastId = ids.at(-1)!;
  const info = db
    .prepare(
      `INSERT INTO school_records (person_kind, person_id, uai, data, origin, created_at, updated_at)
       SELECT ?, m.id, m.uai, ${fieldsFromMirror}, 'directory', ?, ?
       FROM ${table} m WHERE m.uai = ? AND m.deleted = 0 AND m.id > ? AND m.id <= ?
       ON CONFLICT (person_kind, person_id) DO NOTHING`,
    )
    .run(personKind, now, now, uai, afterId, lastId);
  return { created: info.changes, lastId };
}

/** Sets one field of a school record (creating the record for an orphan item), inside the caller's transaction. */
export function setSchoolField(
  db: Database,
  target: { uai: string; personKind: PersonKind; personId: string },
  field: IdentityField,
  value: string | null,
  origin: 'import' | 'review',
  now: string,
): void {
  const existing = getSchoolRecord(db, target.personKind, target.personId);
  const data: SchoolRecordData = { ...(existing?.data ?? {}), [field]: value };
  db.prepare(
    `INSERT INTO school_records (person_kind, person_id, uai, data, origin, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (person_kind, person_id) DO UPDATE SET data = excluded.data, origin = excluded.origin,
       updated_at = excluded.updated_at`,
  ).run(target.personKind, target.personId, target.uai, JSON.stringify(data), origin, now, now);
}

const writeStatements = new WeakMap<Database, Statement>();

/** Writes a whole school record (an import), inside the caller's transaction. */
export function writeSchoolRecord(
  db: Database,
  target: { uai: string; personKind: PersonKind; personId: string },
  data: SchoolRecordData,
  origin: SchoolRecord['origin'],
  now: string,
): void {
  // Prepared once per database: an import writes thousands of records in one transaction.
  let statement = writeStatements.get(db);
  if (!statement) {
    statement = db.prepare(
      `INSERT INTO school_records (person_kind, person_id, uai, data, origin, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (person_kind, person_id) DO UPDATE SET data = excluded.data, origin = excluded.origin,
         updated_at = excluded.updated_at`,
    );
    writeStatements.set(db, statement);
  }
  statement.run(target.personKind, target.personId, target.uai, JSON.stringify(data), origin, now, now);
}

/**
 * Gives the directory's id to the imported records of persons the directory now knows (same INE, or same SIECLE or
 * ONDE id), when the person has no school record of its own yet; call before initialising records from the mirror,
 * in the caller's transaction. Returns how many were adopted.
 */
export function adoptImportedRecords(db: Database, uai: string): number {
  let adopted = 0;
  const rows = db
    .prepare(`SELECT person_kind, person_id, data FROM school_records WHERE uai = ? AND person_id LIKE '${LOCAL_ID_PREFIX}%'`)
    .all(uai) as { person_kind: PersonKind; person_id: string; data: string }[];
  if (rows.length === 0) return 0;
  const taken = db.prepare('SELECT 1 FROM school_records WHERE person_kind = ? AND person_id = ?');
  const rename = db.prepare('UPDATE school_records SET person_id = ? WHERE person_kind = ? AND person_id = ?');
  const find = {
    ine: db.prepare('SELECT id FROM dir_pupils WHERE uai = ? AND deleted = 0 AND ine = ?').pluck(),
    pupil: db.prepare('SELECT id FROM dir_pupils WHERE uai = ? AND deleted = 0 AND (source_siecle = ? OR source_onde = ?)').pluck(),
    guardian: db.prepare('SELECT id FROM dir_guardians WHERE uai = ? AND deleted = 0 AND (source_siecle = ? OR source_onde = ?)').pluck(),
  };
  for (const row of rows) {
    const data = JSON.parse(row.data) as SchoolRecordData;
    const ids = (data.sourceIds ?? {}) as { siecle?: string; onde?: string };
    const candidates = [
      ...(row.person_kind === 'pupil' && typeof data.ine === 'string' ? (find.ine.all(uai, data.ine) as string[]) : []),
      ...((ids.siecle || ids.onde) ? (find[row.person_kind].all(uai, ids.siecle ?? null, ids.onde ?? null) as string[]) : []),
    ];
    const unique = [...new Set(candidates)];
    if (unique.length !== 1 || taken.get(row.person_kind, unique[0])) continue;
    rename.run(unique[0], row.person_kind, row.person_id);
    adopted += 1;
  }
  return adopted;
}

/** "NOM Prénom" of a person, from the school record, else the mirror; the id when neither knows the person. */
export function personLabel(db: Database, personKind: PersonKind, personId: string): string {
  const record = getSchoolRecord(db, personKind, personId);
  const data =
    record?.data ??
    (() => {
      const raw = db.prepare(`SELECT data FROM ${MIRROR_OF[personKind]} WHERE id = ? AND deleted = 0`).pluck().get(personId) as
        | string
        | undefined;
      return raw ? (JSON.parse(raw) as SchoolRecordData) : null;
    })();
  if (!data) return personId;
  const last = String(data.usageName || data.lastName || '').toLocaleUpperCase('fr');
  return `${last} ${data.firstName ?? ''}`.trim() || personId;
}
