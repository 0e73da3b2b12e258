/**
 * Ingestion after each sync run of an establishment, idempotent and chunked (one transaction per chunk, a turn of the
 * event loop between chunks):
 * 1. school records for persons seen for the first time: an imported record of that person (same INE or SIECLE/ONDE
 *    id) is adopted under the directory's id, else one is made from the directory record;
 * 2. one item per open directory identity change not ingested yet (dir_change_id is unique);
 * 3. one item per contact difference (email, mobile) between the directory account and the school record that no
 *    item already carries;
 * 4. open items whose school value changed meanwhile become conflicts.
 * A newer change to a field supersedes the open item of that field. Items are never deleted, so an item whose person
 * left the mirror stays visible as an orphan.
 */
import type { Database } from 'better-sqlite3';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { AccountData, IdentityChangeData, IdentityField, PersonKind } from '../../../shared/directory/wire';
import { CONTACT_FIELDS, isLowRisk, OPEN_STATES, sameContactValue } from '../../../shared/domain/review';
import { adoptImportedRecords, initialiseChunk, personLabel, schoolValue } from '../school/records';

export const INGEST_CHUNK = 500;

export interface IngestResult {
  schoolRecordsAdopted: number;
  schoolRecordsCreated: number;
  newItems: number;
  superseded: number;
  conflicts: number;
}

export interface NewItem {
  uai: string;
  personKind: PersonKind;
  personId: string;
  field: IdentityField;
  previousValue: string | null;
  newValue: string | null;
  source: IdentityChangeData['source'];
  origin: 'directory' | 'contact' | 'import';
  dirChangeId: string | null;
  detectedAt: string;
  /** The import that found the difference (origin `import`). */
  importId?: string | null;
}

const OPEN_LIST = OPEN_STATES.map((s) => `'${s}'`).join(', ');

export async function ingest(db: Database, uai: string, now = () => new Date()): Promise<IngestResult> {
  const result: IngestResult = { schoolRecordsAdopted: 0, schoolRecordsCreated: 0, newItems: 0, superseded: 0, conflicts: 0 };

  result.schoolRecordsAdopted = db.transaction(() => adoptImportedRecords(db, uai))();
  for (const kind of ['pupil', 'guardian'] as const) {
    let after = '';
    for (;;) {
      const chunk = db.transaction(() => initialiseChunk(db, uai, kind, after, INGEST_CHUNK * 2, now().toISOString()))();
      result.schoolRecordsCreated += chunk.created;
      if (chunk.lastId === null) break;
      after = chunk.lastId;
      await yieldToEventLoop();
    }
  }

  // 2. Directory identity changes, in id order (the directory numbers them as they happen).
  const changes = db.prepare(
    `SELECT d.id, d.data FROM dir_identity_changes d
     WHERE d.uai = ? AND d.deleted = 0 AND d.status = 'open' AND d.id > ?
       AND NOT EXISTS (SELECT 1 FROM review_items r WHERE r.dir_change_id = d.id)
     ORDER BY d.id LIMIT ?`,
  );
  let afterChange = '';
  for (;;) {
    const rows = changes.all(uai, afterChange, INGEST_CHUNK) as { id: string; data: string }[];
    if (rows.length === 0) break;
    afterChange = rows.at(-1)!.id;
    db.transaction(() => {
      for (const row of rows) {
        const data = JSON.parse(row.data) as IdentityChangeData;
        addItem(db, result, now().toISOString(), {
          uai,
          personKind: data.personKind,
          personId: data.personId,
          field: data.field,
          previousValue: data.previousValue,
          newValue: data.newValue,
          source: data.source,
          origin: 'directory',
          dirChangeId: row.id,
          detectedAt: data.detectedAt,
        });
      }
    })();
    await yieldToEventLoop();
  }

  // 3. Contact differences between directory accounts and school records (pre-filtered in SQL, confirmed in JS).
  const differing = db.prepare(
    `SELECT a.id, a.data AS account, s.data AS school FROM dir_accounts a
     JOIN school_records s ON s.person_kind = a.person_kind AND s.person_id = a.person_id
     WHERE a.uai = ? AND a.deleted = 0 AND a.id > ?
       AND ((json_extract(a.data, '$.email') IS NOT NULL
             AND lower(json_extract(a.data, '$.email')) IS NOT lower(json_extract(s.data, '$.email')))
         OR (json_extract(a.data, '$.mobile') IS NOT NULL
             AND json_extract(a.data, '$.mobile') IS NOT json_extract(s.data, '$.mobile')))
     ORDER BY a.id LIMIT ?`,
  );
  const latest = db.prepare(
    `SELECT new_value, previous_value, origin FROM review_items WHERE person_kind = ? AND person_id = ? AND field = ?
     ORDER BY id DESC LIMIT 1`,
  );
  let afterAccount = '';
  for (;;) {
    const rows = differing.all(uai, afterAccount, INGEST_CHUNK) as { id: string; account: string; school: string }[];
    if (rows.length === 0) break;
    afterAccount = rows.at(-1)!.id;
    db.transaction(() => {
      for (const row of rows) {
        const account = JSON.parse(row.account) as AccountData;
        const school = JSON.parse(row.school) as Record<string, string | null>;
        for (const field of CONTACT_FIELDS) {
          const value = account[field];
          if (value === null || value === undefined || sameContactValue(field, value, school[field] ?? null)) continue;
          if (alreadyShown(latest.get(account.personKind, account.personId, field) as LatestItem | undefined, field, value)) continue;
          addItem(db, result, now().toISOString(), {
            uai,
            personKind: account.personKind,
            personId: account.personId,
            field,
            previousValue: null,
            newValue: value,
            source: 'self_service',
            origin: 'contact',
            dirChangeId: null,
            detectedAt: now().toISOString(),
          });
        }
      }
    })();
    await yieldToEventLoop();
  }

  // 4. Open items whose school value no longer is the one they were computed against.
  result.conflicts += markConflicts(db, uai);
  return result;
}

/** Pending or deferred items whose school value changed since they were computed become conflicts (count returned). */
export function markConflicts(db: Database, uai: string): number {
  return db
    .prepare(
      `UPDATE review_items SET state = 'conflict',
         school_value = (SELECT json_extract(s.data, '$.' || review_items.field) FROM school_records s
                         WHERE s.person_kind = review_items.person_kind AND s.person_id = review_items.person_id)
       WHERE uai = ? AND state IN ('pending', 'deferred')
         AND EXISTS (SELECT 1 FROM school_records s WHERE s.person_kind = review_items.person_kind
                       AND s.person_id = review_items.person_id
                       AND json_extract(s.data, '$.' || review_items.field) IS NOT review_items.school_value)`,
    )
    .run(uai).changes;
}

interface LatestItem {
  new_value: string | null;
  previous_value: string | null;
  origin: string;
}

/**
 * The directory account's value was already put before the head by the field's latest item, decided or not: it is
 * that item's new value, or, for an item from a directory identity change, the value the change replaced (the
 * directory announced the change before its account caught up). Only a value the directory takes afterwards is new.
 */
function alreadyShown(latest: LatestItem | undefined, field: string, value: string): boolean {
  if (!latest) return false;
  if (sameContactValue(field, latest.new_value, value)) return true;
  return latest.origin === 'directory' && sameContactValue(field, latest.previous_value, value);
}

/** Inserts one item, applying the supersede rule in both directions (a late, older change arrives superseded). */
export function addItem(db: Database, result: Pick<IngestResult, 'newItems' | 'superseded'>, now: string, item: NewItem): void {
  const current = schoolValue(db, item.personKind, item.personId, item.field);
  const confirmed = (CONTACT_FIELDS as readonly string[]).includes(item.field) && contactConfirmed(db, item);
  const open = db
    .prepare(
      `SELECT id, detected_at FROM review_items WHERE person_kind = ? AND person_id = ? AND field = ?
         AND state IN (${OPEN_LIST}) ORDER BY detected_at DESC, id DESC`,
    )
    .all(item.personKind, item.personId, item.field) as { id: number; detected_at: string }[];
  const newer = open.find((o) => o.detected_at > item.detectedAt);
  const info = db
    .prepare(
      `INSERT INTO review_items (uai, person_kind, person_id, person_label, field, school_value, previous_value, new_value,
         source, origin, dir_change_id, contact_confirmed, low_risk, detected_at, ingested_at, state, superseded_by, import_id)
       VALUES (@uai, @personKind, @personId, @label, @field, @schoolValue, @previousValue, @newValue, @source, @origin,
         @dirChangeId, @confirmed, @lowRisk, @detectedAt, @now, @state, @supersededBy, @importId)`,
    )
    .run({
      ...item,
      label: personLabel(db, item.personKind, item.personId),
      schoolValue: current,
      confirmed: confirmed ? 1 : 0,
      lowRisk: isLowRisk({ field: item.field, schoolValue: current, newValue: item.newValue, contactConfirmed: confirmed }) ? 1 : 0,
      now,
      state: newer ? 'superseded' : 'pending',
      supersededBy: newer?.id ?? null,
      importId: item.importId ?? null,
    });
  const id = Number(info.lastInsertRowid);
  if (newer) return;
  result.newItems += 1;
  const replaced = open.map((o) => o.id);
  if (replaced.length > 0) {
    result.superseded += db
      .prepare(`UPDATE review_items SET state = 'superseded', superseded_by = ? WHERE id IN (${replaced.map(() => '?').join(', ')})`)
      .run(id, ...replaced).changes;
  }
}

/** The directory account holds this very value and marks it confirmed. */
function contactConfirmed(db: Database, item: NewItem): boolean {
  const raw = db
    .prepare('SELECT data FROM dir_accounts WHERE person_kind = ? AND person_id = ? AND deleted = 0 LIMIT 1')
    .pluck()
    .get(item.personKind, item.personId) as string | undefined;
  if (!raw) return false;
  const account = JSON.parse(raw) as AccountData;
  const field = item.field as 'email' | 'mobile';
  const flag = field === 'email' ? account.emailConfirmed : account.mobileConfirmed;
  return flag && sameContactValue(field, account[field], item.newValue);
}
