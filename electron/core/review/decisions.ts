/**
 * Decisions on review items, each in one transaction with its effects: the school record changes on accept only
 * (never on reject), and a decision on a directory identity change is queued in the outbox (`identityChange.decide`)
 * in that same transaction, so it reaches the directory exactly once, whenever the app is next online.
 */
import type { Database } from 'better-sqlite3';
import { ApiError } from '../../../shared/api/errors';
import { DECIDABLE_STATES, schoolValueChanged, UNDOABLE_STATES } from '../../../shared/domain/review';
import type { AuditDetail } from '../dispatcher';
import { enqueue } from '../directory/outbox';
import { schoolValue, setSchoolField } from '../school/records';
import type { ReviewRow } from './store';
import { reviewStrings as s } from './strings';

export type Decision = 'accept' | 'reject' | 'defer';

const STATE_OF: Record<Decision, 'accepted' | 'rejected' | 'deferred'> = {
  accept: 'accepted',
  reject: 'rejected',
  defer: 'deferred',
};

export interface DecisionOutcome {
  audit: AuditDetail;
  /** An outbox item was queued: the caller kicks the sender once the transaction is committed. */
  queued: boolean;
  /** The school value had changed: the item was turned into a conflict (committed) and the decision refused. */
  conflict: boolean;
}

function load(db: Database, id: number): ReviewRow {
  const row = db.prepare('SELECT * FROM review_items WHERE id = ?').get(id) as ReviewRow | undefined;
  if (!row) throw new ApiError('NOT_FOUND', s.notFound(id));
  return row;
}

export function checkDecidable(row: ReviewRow): void {
  if (row.state === 'superseded') throw new ApiError('CONFLICT', s.superseded(row.superseded_by), { id: row.id, supersededBy: row.superseded_by });
  if (!DECIDABLE_STATES.includes(row.state)) throw new ApiError('CONFLICT', s.alreadyDecided, { id: row.id, state: row.state });
}

/**
 * Applies one decision; call inside a transaction. On accept, a school value that changed since the item was computed
 * turns the item into a conflict showing the current value, and nothing else changes.
 */
export function applyDecision(
  db: Database,
  id: number,
  decision: Decision,
  reason: string | null,
  by: string,
  now: string,
): DecisionOutcome {
  const row = load(db, id);
  checkDecidable(row);
  const target = { uai: row.uai, personKind: row.person_kind, personId: row.person_id };
  const current = schoolValue(db, row.person_kind, row.person_id, row.field);
  const before = { state: row.state, schoolValue: current, newValue: row.new_value };
  const audit = (after: unknown): AuditDetail => ({
    uai: row.uai,
    targetType: 'identityChange',
    targetId: String(row.id),
    before,
    after,
    reason: reason ?? undefined,
  });

  if (decision === 'accept' && schoolValueChanged(row.school_value, current)) {
    db.prepare("UPDATE review_items SET state = 'conflict', school_value = ? WHERE id = ?").run(current, id);
    return { audit: audit({ state: 'conflict', schoolValue: current }), queued: false, conflict: true };
  }
  if (decision === 'accept') setSchoolField(db, target, row.field, row.new_value, 'review', now);

  let outboxId: number | null = null;
  if (decision !== 'defer' && row.dir_change_id !== null) {
    // Only a change the directory still holds open is answered; one decided elsewhere or deleted needs no message.
    const mirror = db
      .prepare("SELECT version FROM dir_identity_changes WHERE id = ? AND deleted = 0 AND status = 'open'")
      .get(row.dir_change_id) as { version: number } | undefined;
    if (mirror) {
      outboxId = enqueue(db, {
        uai: row.uai,
        request: {
          kind: 'identityChange.decide',
          targetId: row.dir_change_id,
          payload: { decision: decision === 'accept' ? 'accepted' : 'rejected' },
        },
        ifMatch: mirror.version,
      }).id;
    }
  }
  const state = STATE_OF[decision];
  db.prepare(
    `UPDATE review_items SET state = ?, decided_at = ?, decided_by = ?, reason = ?, outbox_id = ?, school_value = ?
     WHERE id = ?`,
  ).run(state, now, by, reason, outboxId, current, id);
  const after = { state, schoolValue: decision === 'accept' ? row.new_value : current, newValue: row.new_value };
  return { audit: audit(after), queued: outboxId !== null, conflict: false };
}

/**
 * Brings a decided item back to pending (or superseded, when a newer change of the field arrived meanwhile), as long
 * as its outbox item has not been sent: the unsent outbox item is dropped and an accepted value is taken back out of
 * the school record. Call inside a transaction. Returns the audit detail and the dropped outbox item, if any.
 */
export function undoDecision(db: Database, id: number, now: string): { audit: AuditDetail; droppedOutbox: number | null } {
  const row = load(db, id);
  if (!UNDOABLE_STATES.includes(row.state)) throw new ApiError('CONFLICT', s.notUndoable, { id, state: row.state });
  if (row.keyed_at !== null) throw new ApiError('CONFLICT', s.keyed, { id });
  let dropped: number | null = null;
  if (row.outbox_id !== null) {
    const outbox = db.prepare('SELECT state FROM outbox WHERE id = ?').pluck().get(row.outbox_id) as string | undefined;
    if (outbox === 'in_flight' || outbox === 'done') throw new ApiError('CONFLICT', s.alreadySynced, { id });
    if (outbox !== undefined) {
      db.prepare('DELETE FROM outbox WHERE id = ?').run(row.outbox_id);
      dropped = row.outbox_id;
    }
  }
  const current = schoolValue(db, row.person_kind, row.person_id, row.field);
  let restored = current;
  if (row.state === 'accepted') {
    if (schoolValueChanged(row.new_value, current)) throw new ApiError('CONFLICT', s.schoolChangedSinceAccept, { id });
    setSchoolField(db, { uai: row.uai, personKind: row.person_kind, personId: row.person_id }, row.field, row.school_value, 'review', now);
    restored = row.school_value;
  }
  const newer = db
    .prepare(
      `SELECT id FROM review_items WHERE person_kind = ? AND person_id = ? AND field = ? AND id <> ?
         AND state IN ('pending', 'deferred', 'conflict') AND detected_at >= ? ORDER BY id DESC LIMIT 1`,
    )
    .pluck()
    .get(row.person_kind, row.person_id, row.field, id, row.detected_at) as number | undefined;
  const state = newer === undefined ? 'pending' : 'superseded';
  db.prepare(
    `UPDATE review_items SET state = ?, superseded_by = ?, decided_at = NULL, decided_by = NULL, reason = NULL,
       outbox_id = NULL WHERE id = ?`,
  ).run(state, newer ?? null, id);
  return {
    audit: {
      uai: row.uai,
      targetType: 'identityChange',
      targetId: String(id),
      before: { state: row.state, schoolValue: current },
      after: { state, schoolValue: restored },
      reason: 'Annulation de la décision',
    },
    droppedOutbox: dropped,
  };
}
