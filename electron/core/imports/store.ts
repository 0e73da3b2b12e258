/**
 * What imports keep in SQLite (migration 11): previews (their files, counts, problems; the files are read again when
 * applied), the changes they show, the saved CSV mappings; the snapshot a plan is worked out from; and the
 * application of a plan (school records, review items, the preview marked applied), run by the caller inside one
 * transaction.
 */
import type { Database } from 'better-sqlite3';
import type {
  CsvMapping,
  ImportChange,
  ImportChangeStatus,
  ImportCounts,
  ImportFile,
  ImportHistoryEntry,
  ImportProblem,
  ImportSource,
} from '../../../shared/api/methods/imports';
import type { AccountData, GuardianData, PersonKind, PupilData } from '../../../shared/directory/wire';
import { addItem } from '../review/ingest';
import { writeSchoolRecord, type SchoolRecordData } from '../school/records';
import type { SchoolBase } from './model';
import type { PlannedPerson, Snapshot } from './plan';

/** A preview not applied is kept a week; the changes of any preview (personal data) a month. */
export const PREVIEW_DAYS = 7;
export const CHANGES_DAYS = 30;

export interface PreviewRow {
  id: string;
  uai: string;
  source: ImportSource;
  files: ImportFile[];
  paths: string[];
  fingerprint: string;
  mapping: CsvMapping | null;
  counts: ImportCounts;
  problems: ImportProblem[];
  state: 'ready' | 'applied' | 'discarded';
  createdAt: string;
  createdBy: string | null;
  appliedAt: string | null;
  appliedBy: string | null;
  reviewItems: number | null;
}

interface RawPreview {
  id: string;
  uai: string;
  source: ImportSource;
  files: string;
  paths: string;
  fingerprint: string;
  mapping: string | null;
  counts: string;
  problems: string;
  state: PreviewRow['state'];
  created_at: string;
  created_by: string | null;
  applied_at: string | null;
  applied_by: string | null;
  review_items: number | null;
}

const toPreview = (r: RawPreview): PreviewRow => ({
  id: r.id,
  uai: r.uai,
  source: r.source,
  files: JSON.parse(r.files) as ImportFile[],
  paths: JSON.parse(r.paths) as string[],
  fingerprint: r.fingerprint,
  mapping: r.mapping ? (JSON.parse(r.mapping) as CsvMapping) : null,
  counts: JSON.parse(r.counts) as ImportCounts,
  problems: JSON.parse(r.problems) as ImportProblem[],
  state: r.state,
  createdAt: r.created_at,
  createdBy: r.created_by,
  appliedAt: r.applied_at,
  appliedBy: r.applied_by,
  reviewItems: r.review_items,
});

export function loadSnapshot(db: Database, uai: string, today: string): Snapshot {
  const rows = (table: string) =>
    (db.prepare(`SELECT id, data FROM ${table} WHERE uai = ? AND deleted = 0`).all(uai) as { id: string; data: string }[]).map((r) => ({
      id: r.id,
      data: JSON.parse(r.data) as never,
    }));
  const accounts = new Map<string, Pick<AccountData, 'email' | 'mobile'>>();
  for (const row of db
    .prepare("SELECT person_id, json_extract(data, '$.email') AS email, json_extract(data, '$.mobile') AS mobile FROM dir_accounts WHERE uai = ? AND deleted = 0")
    .all(uai) as { person_id: string; email: string | null; mobile: string | null }[]) {
    accounts.set(row.person_id, { email: row.email, mobile: row.mobile });
  }
  const schoolRecords: Snapshot['schoolRecords'] = new Map();
  for (const row of db.prepare('SELECT person_kind, person_id, data FROM school_records WHERE uai = ?').all(uai) as {
    person_kind: PersonKind;
    person_id: string;
    data: string;
  }[]) {
    schoolRecords.set(`${row.person_kind}:${row.person_id}`, { personKind: row.person_kind, personId: row.person_id, data: JSON.parse(row.data) as SchoolRecordData });
  }
  const latestItems: Snapshot['latestItems'] = new Map();
  for (const row of db
    .prepare('SELECT person_kind, person_id, field, state, origin, school_value, previous_value, new_value FROM review_items WHERE uai = ? ORDER BY id')
    .all(uai) as { person_kind: string; person_id: string; field: string; state: string; origin: string; school_value: string | null; previous_value: string | null; new_value: string | null }[]) {
    const person = `${row.person_kind}:${row.person_id}`;
    let fields = latestItems.get(person);
    if (!fields) latestItems.set(person, (fields = new Map()));
    fields.set(row.field, {
      state: row.state,
      origin: row.origin,
      schoolValue: row.school_value,
      previousValue: row.previous_value,
      newValue: row.new_value,
    });
  }
  const links = (db.prepare('SELECT guardian_id, pupil_id FROM dir_links WHERE uai = ? AND deleted = 0').all(uai) as { guardian_id: string; pupil_id: string }[]).map((l) => ({
    guardianId: l.guardian_id,
    pupilId: l.pupil_id,
  }));
  return {
    uai,
    today,
    pupils: rows('dir_pupils') as { id: string; data: PupilData }[],
    guardians: rows('dir_guardians') as { id: string; data: GuardianData }[],
    links,
    accounts,
    schoolRecords,
    latestItems,
  };
}

/** The changes worth listing: persons added, changed or gone, and unchanged ones that differ from the directory. */
const listed = (p: PlannedPerson) => p.status !== 'unchanged' || p.differences.length > 0;

/** Writes a preview's listed changes one person at a time, in the caller's transaction (after clearing old ones). */
export function changeWriter(db: Database, previewId: string): (person: PlannedPerson) => void {
  db.prepare('DELETE FROM import_changes WHERE preview_id = ?').run(previewId);
  const insert = db.prepare('INSERT INTO import_changes (preview_id, n, person_kind, person_id, status, label, detail) VALUES (?, ?, ?, ?, ?, ?, ?)');
  let n = 0;
  return (p) => {
    if (!listed(p)) return;
    n += 1;
    insert.run(previewId, n, p.personKind, p.personId, p.status, p.label, JSON.stringify({ ine: p.ine, division: p.division, fields: p.fields, differences: p.differences }));
  };
}

export interface NewPreview {
  id: string;
  uai: string;
  base: Pick<SchoolBase, 'source' | 'files'>;
  paths: readonly string[];
  mapping: CsvMapping | null;
  fingerprint: string;
  createdAt: string;
  createdBy: string | null;
}

/** Stores a preview, before its changes (`changeWriter`) and its counts (`finishPreview`); call inside a transaction. */
export function savePreview(db: Database, preview: NewPreview): void {
  db.prepare(
    `INSERT INTO import_previews (id, uai, source, files, paths, fingerprint, mapping, counts, problems, state, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'ready', ?, ?)`,
  ).run(
    preview.id,
    preview.uai,
    preview.base.source,
    JSON.stringify(preview.base.files),
    JSON.stringify(preview.paths),
    preview.fingerprint,
    preview.mapping ? JSON.stringify(preview.mapping) : null,
    '{}',
    '[]',
    preview.createdAt,
    preview.createdBy,
  );
}

export function finishPreview(db: Database, id: string, counts: ImportCounts, problems: readonly ImportProblem[]): void {
  db.prepare('UPDATE import_previews SET counts = ?, problems = ? WHERE id = ?').run(JSON.stringify(counts), JSON.stringify(problems), id);
}

export function getPreview(db: Database, id: string): PreviewRow | null {
  const row = db.prepare(`SELECT * FROM import_previews WHERE id = ?`).get(id) as RawPreview | undefined;
  return row ? toPreview(row) : null;
}

/** When these very files were last applied to the establishment, if they were. */
export function sameFilesAppliedAt(db: Database, uai: string, fingerprint: string): string | null {
  return (
    (db
      .prepare("SELECT max(applied_at) FROM import_previews WHERE uai = ? AND fingerprint = ? AND state = 'applied'")
      .pluck()
      .get(uai, fingerprint) as string | null) ?? null
  );
}

/** An import applied to the establishment after this preview was made (its view of the school base is stale). */
export function appliedSince(db: Database, uai: string, createdAt: string): boolean {
  return db.prepare("SELECT 1 FROM import_previews WHERE uai = ? AND state = 'applied' AND applied_at > ?").get(uai, createdAt) !== undefined;
}

export function listChanges(
  db: Database,
  previewId: string,
  filter: { status?: ImportChangeStatus; personKind?: PersonKind; offset?: number; limit?: number },
): { total: number; items: ImportChange[] } {
  const where = ['preview_id = @previewId'];
  if (filter.status) where.push('status = @status');
  if (filter.personKind) where.push('person_kind = @personKind');
  const params = { previewId, status: filter.status, personKind: filter.personKind };
  const clause = where.join(' AND ');
  const total = db.prepare(`SELECT count(*) FROM import_changes WHERE ${clause}`).pluck().get(params) as number;
  const rows = db
    .prepare(`SELECT person_kind, person_id, status, label, detail FROM import_changes WHERE ${clause} ORDER BY n LIMIT @limit OFFSET @offset`)
    .all({ ...params, limit: filter.limit ?? 100, offset: filter.offset ?? 0 }) as {
    person_kind: PersonKind;
    person_id: string;
    status: ImportChangeStatus;
    label: string;
    detail: string;
  }[];
  return {
    total,
    items: rows.map((r) => {
      const detail = JSON.parse(r.detail) as Pick<ImportChange, 'ine' | 'division' | 'fields' | 'differences'>;
      return { personKind: r.person_kind, personId: r.person_id, label: r.label, status: r.status, ...detail };
    }),
  };
}

export function history(db: Database, uai: string, limit = 20): ImportHistoryEntry[] {
  const rows = db.prepare('SELECT * FROM import_previews WHERE uai = ? ORDER BY created_at DESC, rowid DESC LIMIT ?').all(uai, limit) as RawPreview[];
  return rows.map((r) => {
    const p = toPreview(r);
    return {
      previewId: p.id,
      source: p.source,
      files: p.files,
      counts: p.counts,
      problems: p.problems.length,
      state: p.state,
      createdAt: p.createdAt,
      createdBy: p.createdBy,
      appliedAt: p.appliedAt,
      appliedBy: p.appliedBy,
      reviewItems: p.reviewItems,
    };
  });
}

/**
 * Applies a plan as it is worked out: each person's school record (origin import) as it comes, then the review items
 * of its differences with the directory (origin import, after the record, so that they show the new school value),
 * and the change listed. Call `finish` at the end: the preview is marked applied. Everything runs in the caller's
 * transaction, which also writes the audit entry: everything or nothing. `step` hears of every 500 persons written
 * (the job's progress).
 */
export function applyWriter(
  db: Database,
  preview: { id: string; uai: string },
  now: string,
  step: (done: number) => void = () => undefined,
): { sink: (person: PlannedPerson) => void; finish: (counts: ImportCounts, by: string | null) => { reviewItems: number } } {
  const change = changeWriter(db, preview.id);
  const result = { newItems: 0, superseded: 0 };
  let done = 0;
  return {
    sink: (person) => {
      if (person.write) writeSchoolRecord(db, { uai: preview.uai, personKind: person.personKind, personId: person.personId }, person.write, 'import', now);
      for (const difference of person.differences) {
        addItem(db, result, now, {
          uai: preview.uai,
          personKind: person.personKind,
          personId: person.personId,
          field: difference.field,
          previousValue: null,
          newValue: difference.directory,
          source: 'academie',
          origin: 'import',
          dirChangeId: null,
          detectedAt: now,
          importId: preview.id,
        });
      }
      change(person);
      done += 1;
      if (done % 500 === 0) step(done);
    },
    finish: (counts, by) => {
      db.prepare(`UPDATE import_previews SET state = 'applied', applied_at = ?, applied_by = ?, counts = ?, review_items = ? WHERE id = ?`).run(
        now,
        by,
        JSON.stringify(counts),
        result.newItems,
        preview.id,
      );
      // Older previews of the establishment no longer describe its school base.
      db.prepare("UPDATE import_previews SET state = 'discarded' WHERE uai = ? AND state = 'ready' AND id <> ?").run(preview.uai, preview.id);
      return { reviewItems: result.newItems };
    },
  };
}

/** Old previews can no longer be applied; the changes they list (personal data) go after a month. */
export function purgePreviews(db: Database, now: Date): void {
  const day = 86_400_000;
  const stale = new Date(now.getTime() - PREVIEW_DAYS * day).toISOString();
  const old = new Date(now.getTime() - CHANGES_DAYS * day).toISOString();
  db.transaction(() => {
    db.prepare("UPDATE import_previews SET state = 'discarded' WHERE state = 'ready' AND created_at < ?").run(stale);
    db.prepare('DELETE FROM import_changes WHERE preview_id IN (SELECT id FROM import_previews WHERE created_at < ?)').run(old);
  })();
}

export function getMapping(db: Database, uai: string): CsvMapping | null {
  const raw = db.prepare('SELECT mapping FROM import_mappings WHERE uai = ?').pluck().get(uai) as string | undefined;
  return raw ? (JSON.parse(raw) as CsvMapping) : null;
}

export function saveMapping(db: Database, uai: string, mapping: CsvMapping, by: string | null, now: string): CsvMapping | null {
  const previous = getMapping(db, uai);
  db.prepare(
    `INSERT INTO import_mappings (uai, mapping, updated_at, updated_by) VALUES (?, ?, ?, ?)
     ON CONFLICT (uai) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
  ).run(uai, JSON.stringify(mapping), now, by);
  return previous;
}

/** The review items an applied preview raised, for its report. */
export function importItems(db: Database, previewId: string): { personKind: PersonKind; label: string; field: string; school: string | null; directory: string | null; state: string }[] {
  return (
    db
      .prepare('SELECT person_kind, person_label, field, school_value, new_value, state FROM review_items WHERE import_id = ? ORDER BY person_label, id')
      .all(previewId) as { person_kind: PersonKind; person_label: string; field: string; school_value: string | null; new_value: string | null; state: string }[]
  ).map((r) => ({ personKind: r.person_kind, label: r.person_label, field: r.field, school: r.school_value, directory: r.new_value, state: r.state }));
}
