/** Reading review items: the filtered, paged queue, one item, counts. Synchronous SQL on indexed columns. */
import type { Database } from 'better-sqlite3';
import type { ReviewCounts, ReviewItem } from '../../../shared/api/methods/review';
import type { IdentityChangeSource, IdentityField, PersonKind } from '../../../shared/directory/wire';
import { UNDOABLE_STATES, type ReviewState } from '../../../shared/domain/review';

export interface ReviewRow {
  id: number;
  uai: string;
  person_kind: PersonKind;
  person_id: string;
  person_label: string;
  field: IdentityField;
  school_value: string | null;
  previous_value: string | null;
  new_value: string | null;
  source: IdentityChangeSource;
  origin: 'directory' | 'contact' | 'import';
  dir_change_id: string | null;
  contact_confirmed: number;
  low_risk: number;
  detected_at: string;
  ingested_at: string;
  state: ReviewState;
  superseded_by: number | null;
  decided_at: string | null;
  decided_by: string | null;
  reason: string | null;
  outbox_id: number | null;
  keyed_at: string | null;
  keyed_by: string | null;
}

interface ListedRow extends ReviewRow {
  outbox_state: string | null;
  present: number;
}

export interface ListFilter {
  uai: string;
  state?: ReviewState;
  field?: IdentityField;
  source?: IdentityChangeSource;
  division?: string;
  personKind?: PersonKind;
  olderThanDays?: number;
  offset?: number;
  limit?: number;
}

const LISTED_COLUMNS = `r.*, o.state AS outbox_state,
  CASE r.person_kind
    WHEN 'pupil' THEN EXISTS (SELECT 1 FROM dir_pupils p WHERE p.id = r.person_id AND p.deleted = 0)
    ELSE EXISTS (SELECT 1 FROM dir_guardians g WHERE g.id = r.person_id AND g.deleted = 0)
  END AS present`;

export class ReviewStore {
  constructor(private readonly db: Database) {}

  row(id: number): ReviewRow | undefined {
    return this.db.prepare('SELECT * FROM review_items WHERE id = ?').get(id) as ReviewRow | undefined;
  }

  item(id: number): ReviewItem | null {
    const row = this.db
      .prepare(`SELECT ${LISTED_COLUMNS} FROM review_items r LEFT JOIN outbox o ON o.id = r.outbox_id WHERE r.id = ?`)
      .get(id) as ListedRow | undefined;
    return row ? this.toItem(row) : null;
  }

  list(filter: ListFilter, now = new Date()): { total: number; items: ReviewItem[] } {
    const where = ['r.uai = @uai'];
    const params: Record<string, unknown> = { uai: filter.uai };
    if (filter.state) {
      where.push('r.state = @state');
      params.state = filter.state;
    }
    if (filter.field) {
      where.push('r.field = @field');
      params.field = filter.field;
    }
    if (filter.source) {
      where.push('r.source = @source');
      params.source = filter.source;
    }
    if (filter.personKind) {
      where.push('r.person_kind = @personKind');
      params.personKind = filter.personKind;
    }
    if (filter.olderThanDays !== undefined) {
      where.push('r.detected_at <= @before');
      params.before = new Date(now.getTime() - filter.olderThanDays * 86_400_000).toISOString();
    }
    if (filter.division) {
      where.push(`(
        (r.person_kind = 'pupil' AND r.person_id IN
          (SELECT id FROM dir_pupils WHERE uai = @uai AND division = @division AND deleted = 0))
        OR (r.person_kind = 'guardian' AND r.person_id IN
          (SELECT l.guardian_id FROM dir_links l JOIN dir_pupils p ON p.id = l.pupil_id
           WHERE p.uai = @uai AND p.division = @division AND p.deleted = 0 AND l.deleted = 0)))`);
      params.division = filter.division;
    }
    const clause = where.join(' AND ');
    const total = this.db.prepare(`SELECT count(*) FROM review_items r WHERE ${clause}`).pluck().get(params) as number;
    const rows = this.db
      .prepare(
        `SELECT ${LISTED_COLUMNS} FROM review_items r LEFT JOIN outbox o ON o.id = r.outbox_id
         WHERE ${clause} ORDER BY r.person_label, r.person_id, r.id LIMIT @limit OFFSET @offset`,
      )
      .all({ ...params, limit: filter.limit ?? 50, offset: filter.offset ?? 0 }) as ListedRow[];
    return { total, items: rows.map((row) => this.toItem(row)) };
  }

  /** Pending low-risk items, for the bulk-acceptance preview. */
  lowRisk(uai: string, limit = 10_000): { total: number; items: ReviewItem[] } {
    const total = this.db
      .prepare("SELECT count(*) FROM review_items WHERE uai = ? AND state = 'pending' AND low_risk = 1")
      .pluck()
      .get(uai) as number;
    const rows = this.db
      .prepare(
        `SELECT ${LISTED_COLUMNS} FROM review_items r LEFT JOIN outbox o ON o.id = r.outbox_id
         WHERE r.uai = ? AND r.state = 'pending' AND r.low_risk = 1 ORDER BY r.person_label, r.person_id, r.id LIMIT ?`,
      )
      .all(uai, limit) as ListedRow[];
    return { total, items: rows.map((row) => this.toItem(row)) };
  }

  counts(uai: string): ReviewCounts {
    const states = this.db
      .prepare("SELECT state, count(*) AS n FROM review_items WHERE uai = ? AND state IN ('pending', 'deferred', 'conflict') GROUP BY state")
      .all(uai) as { state: ReviewState; n: number }[];
    const of = (state: ReviewState) => states.find((s) => s.state === state)?.n ?? 0;
    const toKey = this.db
      .prepare("SELECT count(*) FROM review_items WHERE uai = ? AND state = 'accepted' AND keyed_at IS NULL")
      .pluck()
      .get(uai) as number;
    const unsynced = this.db
      .prepare(
        `SELECT count(*) FROM review_items r JOIN outbox o ON o.id = r.outbox_id
         WHERE r.uai = ? AND o.state IN ('pending', 'in_flight', 'failed', 'conflict')`,
      )
      .pluck()
      .get(uai) as number;
    return { pending: of('pending'), deferred: of('deferred'), conflict: of('conflict'), toKey, unsynced };
  }

  divisions(kind: PersonKind, personId: string): string[] {
    const sql =
      kind === 'pupil'
        ? 'SELECT division FROM dir_pupils WHERE id = ? AND deleted = 0'
        : `SELECT DISTINCT p.division FROM dir_links l JOIN dir_pupils p ON p.id = l.pupil_id
           WHERE l.guardian_id = ? AND l.deleted = 0 AND p.deleted = 0 ORDER BY p.division`;
    return (this.db.prepare(sql).pluck().all(personId) as (string | null)[]).filter((d): d is string => Boolean(d));
  }

  private toItem(row: ListedRow): ReviewItem {
    const sync = syncOf(row.outbox_state);
    const undoable =
      UNDOABLE_STATES.includes(row.state) && row.keyed_at === null && (row.outbox_state === null || ['pending', 'failed', 'conflict'].includes(row.outbox_state));
    return {
      id: row.id,
      uai: row.uai,
      personKind: row.person_kind,
      personId: row.person_id,
      personLabel: row.person_label,
      orphan: row.present === 0,
      divisions: this.divisions(row.person_kind, row.person_id),
      field: row.field,
      schoolValue: row.school_value,
      previousValue: row.previous_value,
      newValue: row.new_value,
      source: row.source,
      origin: row.origin,
      detectedAt: row.detected_at,
      state: row.state,
      lowRisk: row.low_risk === 1,
      contactConfirmed: row.contact_confirmed === 1,
      supersededBy: row.superseded_by,
      decidedAt: row.decided_at,
      decidedBy: row.decided_by,
      reason: row.reason,
      sync,
      undoable,
      keyedAt: row.keyed_at,
      keyedBy: row.keyed_by,
    };
  }
}

function syncOf(outboxState: string | null): ReviewItem['sync'] {
  switch (outboxState) {
    case null:
      return 'none';
    case 'done':
      return 'sent';
    case 'failed':
      return 'failed';
    case 'conflict':
      return 'conflict';
    default:
      return 'pending';
  }
}
