/**
 * The local mirror of the directory: idempotent, version-guarded writes of records and tombstones, the staging area
 * of a full resync and its swap, and counts. Everything here is synchronous and runs inside the caller's transaction.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { RecordType } from '../../../shared/directory/wire';
import { ProjectionMarks } from '../accounts/marks';

export const MIRROR_TABLE: Record<RecordType, string> = {
  pupil: 'dir_pupils',
  guardian: 'dir_guardians',
  link: 'dir_links',
  account: 'dir_accounts',
  identityChange: 'dir_identity_changes',
  settings: 'dir_establishment_settings',
};

export const RECORD_TYPE_LIST = Object.keys(MIRROR_TABLE) as RecordType[];

/** The Directory API's plural name of each record type in its totals. */
export const TOTALS_KEY: Record<RecordType, 'pupils' | 'guardians' | 'links' | 'accounts' | 'identityChanges' | 'settings'> = {
  pupil: 'pupils',
  guardian: 'guardians',
  link: 'links',
  account: 'accounts',
  identityChange: 'identityChanges',
  settings: 'settings',
};

export type MirrorCounts = Record<RecordType, number>;

/** One write to the mirror: an upsert carries the raw record JSON, a tombstone none. */
export interface MirrorWrite {
  type: RecordType;
  id: string;
  version: number;
  seq: number | null;
  /** Raw JSON of the record's `data`, as received; null for a tombstone. */
  data: string | null;
}

const TOMBSTONE_DATA = '{}';

/** Prepared statements for one database, built once (preparing per row would dominate bulk work). */
export class Mirror {
  private readonly upserts = new Map<RecordType, Statement>();
  private readonly stageInsert: Statement;
  private readonly stageClear: Statement;
  private readonly swaps = new Map<RecordType, { tombstones: Statement; upserts: Statement }>();
  private readonly liveCounts = new Map<RecordType, Statement>();
  private readonly anyRow = new Map<RecordType, Statement>();
  /** Tells the account projection what each write concerns (null on a schema without one). */
  private readonly marks: ProjectionMarks | null;

  constructor(readonly db: Database) {
    this.marks = ProjectionMarks.open(db);
    for (const type of RECORD_TYPE_LIST) {
      const table = MIRROR_TABLE[type];
      // A write wins only with a greater version: duplicates and late deliveries change nothing, and a tombstone
      // (whose version is above every live version) is never resurrected by an older upsert.
      this.upserts.set(
        type,
        db.prepare(
          `INSERT INTO ${table} (id, uai, version, seq, deleted, data) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET uai = excluded.uai, version = excluded.version, seq = excluded.seq,
             deleted = excluded.deleted, data = excluded.data
           WHERE excluded.version > ${table}.version`,
        ),
      );
      this.liveCounts.set(type, db.prepare(`SELECT count(*) FROM ${table} WHERE uai = ? AND deleted = 0`).pluck());
      this.anyRow.set(type, db.prepare(`SELECT 1 FROM ${table} WHERE uai = ? LIMIT 1`));
    }
    this.stageInsert = db.prepare(
      `INSERT INTO dir_staging (uai, type, id, version, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (uai, type, id) DO UPDATE SET version = excluded.version, data = excluded.data
       WHERE excluded.version > dir_staging.version`,
    );
    this.stageClear = db.prepare('DELETE FROM dir_staging WHERE uai = ?');
  }

  /** Applies one write; returns true when it changed the mirror. */
  write(uai: string, w: MirrorWrite): boolean {
    const marks = this.marks?.concerns(w.type) ? this.marks : null;
    const before = marks?.peopleOf(w.type, w.id);
    const changed = this.upsert(uai, w);
    if (changed) marks?.written(w.type, w.id, before);
    return changed;
  }

  /**
   * Applies a page of writes to one establishment (inside the caller's transaction); returns how many changed the
   * mirror. Same result as `write` one by one; but when the establishment's projection is to be rebuilt whole anyway
   * (a first sync, a feed read before any list was opened), its own rows need no per-person record: the page marks
   * the establishment once, and only rows that belonged to another establishment before are recorded one by one.
   */
  writeMany(uai: string, writes: readonly MirrorWrite[]): number {
    const marks = this.marks;
    let changed = 0;
    if (!marks?.rebuildsWhole(uai)) {
      for (const w of writes) if (this.write(uai, w)) changed++;
      return changed;
    }
    const elsewhere = marks.peopleElsewhere(uai, writes);
    let marked = false;
    for (const w of writes) {
      if (!this.upsert(uai, w)) continue;
      changed++;
      const before = elsewhere.get(`${w.type}\u0000${w.id}`);
      if (before) marks.written(w.type, w.id, before);
      else if (!marked && marks.concerns(w.type)) {
        marks.establishmentChanged(uai);
        marked = true;
      }
    }
    return changed;
  }

  private upsert(uai: string, w: MirrorWrite): boolean {
    const stmt = this.upserts.get(w.type);
    if (!stmt) throw new Error(`unknown record type ${w.type}`);
    return stmt.run(w.id, uai, w.version, w.seq, w.data === null ? 1 : 0, w.data ?? TOMBSTONE_DATA).changes > 0;
  }

  stage(uai: string, w: MirrorWrite): void {
    if (w.data === null) return;
    this.stageInsert.run(uai, w.type, w.id, w.version, w.data);
  }

  clearStaging(uai: string): void {
    this.stageClear.run(uai);
  }

  /**
   * Replaces the live rows of one establishment with its staged snapshot (call inside a transaction). Rows absent
   * from the snapshot become tombstones at their current version rather than disappearing, so a stale upsert
   * delivered later still cannot bring them back. Unchanged rows are not rewritten.
   */
  swapFromStaging(uai: string): void {
    let changed = 0;
    for (const type of RECORD_TYPE_LIST) {
      const counted = this.marks?.concerns(type) ? 1 : 0;
      const { tombstones, upserts } = this.swapStatements(type);
      changed += counted * tombstones.run(uai, type).changes;
      changed += counted * upserts.run(uai, type).changes;
    }
    this.clearStaging(uai);
    // Which people a swap touched is not known row by row: the projection of the establishment is rebuilt whole.
    if (changed > 0) this.marks?.changedWholesale(uai);
  }

  private swapStatements(type: RecordType): { tombstones: Statement; upserts: Statement } {
    let swap = this.swaps.get(type);
    if (swap) return swap;
    const table = MIRROR_TABLE[type];
    swap = {
      tombstones: this.db.prepare(
        `UPDATE ${table} SET deleted = 1, data = '${TOMBSTONE_DATA}', seq = NULL
         WHERE uai = ? AND deleted = 0
           AND NOT EXISTS (SELECT 1 FROM dir_staging s WHERE s.uai = ${table}.uai AND s.type = ? AND s.id = ${table}.id)`,
      ),
      // The snapshot is the directory's truth at its cursor: it replaces what differs, whatever our version says
      // (a version can only have gone backwards if the directory was restored, and then the directory is right).
      upserts: this.db.prepare(
        `INSERT INTO ${table} (id, uai, version, seq, deleted, data)
         SELECT id, uai, version, NULL, 0, data FROM dir_staging WHERE uai = ? AND type = ?
         ON CONFLICT (id) DO UPDATE SET uai = excluded.uai, version = excluded.version, seq = NULL, deleted = 0,
           data = excluded.data
         WHERE ${table}.deleted = 1 OR ${table}.version <> excluded.version OR ${table}.data <> excluded.data`,
      ),
    };
    this.swaps.set(type, swap);
    return swap;
  }

  /** Live (non-deleted) rows per type for one establishment. */
  counts(uai: string): MirrorCounts {
    const counts = {} as MirrorCounts;
    for (const type of RECORD_TYPE_LIST) counts[type] = this.liveCounts.get(type)!.get(uai) as number;
    return counts;
  }

  hasLiveRows(uai: string): boolean {
    return RECORD_TYPE_LIST.some((type) => this.anyRow.get(type)!.get(uai) !== undefined);
  }
}
