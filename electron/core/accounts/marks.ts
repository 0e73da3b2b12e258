/**
 * What a mirror write tells the account projection: the establishment is stale (`acc_dirty`), and which people the
 * write concerns (`acc_dirty_people`: the person, both ends of a link, an account's holder — before and after the
 * write, so a tombstone or a moved row still names them). The projection recomputes only the rows those people can
 * affect on its next read (projection.ts `ensureFresh`).
 *
 * Called by the Mirror inside the write's own transaction, so nothing is missed, crash or not. This replaced SQL
 * triggers on the mirror tables: any INSERT or UPDATE trigger on them, even an empty one, made each mirror write about
 * four times slower (≈ 25 µs a row, measured on 120,000 writes), which a full sync of hundreds of thousands of
 * records paid in full.
 *
 * An establishment without projection rows is marked for a whole rebuild and no people are recorded for it (a first
 * sync writes nothing here but one row).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { RecordType } from '../../../shared/directory/wire';

/** The mirror tables the projection reads, and the columns naming the people of one of their rows. */
const SOURCES = {
  pupil: { table: 'dir_pupils', people: "uai, 'pupil' AS k1, id AS p1, NULL AS k2, NULL AS p2" },
  guardian: { table: 'dir_guardians', people: "uai, 'guardian' AS k1, id AS p1, NULL AS k2, NULL AS p2" },
  link: { table: 'dir_links', people: "uai, 'pupil' AS k1, pupil_id AS p1, 'guardian' AS k2, guardian_id AS p2" },
  account: { table: 'dir_accounts', people: 'uai, person_kind AS k1, person_id AS p1, NULL AS k2, NULL AS p2' },
} as const satisfies Partial<Record<RecordType, { table: string; people: string }>>;

type SourceType = keyof typeof SOURCES;

/** One row's establishment and people (kinds other than pupil/guardian, and NULL ids, are ignored). */
export interface RowPeople {
  uai: string;
  k1: string | null;
  p1: string | null;
  k2: string | null;
  p2: string | null;
}

const isSource = (type: RecordType): type is SourceType => Object.hasOwn(SOURCES, type);

export class ProjectionMarks {
  private readonly people = new Map<SourceType, Statement>();
  private readonly peopleNotIn = new Map<SourceType, Statement>();
  private readonly full: Statement;
  private readonly projected: Statement;
  private readonly mark: Statement;
  private readonly markFull: Statement;
  private readonly person: Statement;

  /** Null when the database has no account projection (a schema older than migration 004). */
  static open(db: Database): ProjectionMarks | null {
    return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'acc_dirty_people'").get() ? new ProjectionMarks(db) : null;
  }

  private constructor(db: Database) {
    for (const [type, source] of Object.entries(SOURCES) as [SourceType, (typeof SOURCES)[SourceType]][]) {
      this.people.set(type, db.prepare(`SELECT ${source.people} FROM ${source.table} WHERE id = ?`));
      this.peopleNotIn.set(
        type,
        db.prepare(`SELECT id AS row_id, ${source.people} FROM ${source.table} WHERE id IN (SELECT value FROM json_each(?)) AND uai <> ?`),
      );
    }
    this.full = db.prepare('SELECT full FROM acc_dirty WHERE uai = ?').pluck();
    this.projected = db.prepare('SELECT 1 FROM acc_index WHERE uai = ? LIMIT 1');
    this.mark = db.prepare(
      `INSERT INTO acc_dirty (uai, full) SELECT @uai, NOT EXISTS (SELECT 1 FROM acc_index WHERE uai = @uai)
       WHERE NOT EXISTS (SELECT 1 FROM acc_dirty WHERE uai = @uai)`,
    );
    this.markFull = db.prepare('INSERT INTO acc_dirty (uai, full) VALUES (?, 1) ON CONFLICT (uai) DO UPDATE SET full = 1');
    this.person = db.prepare("INSERT OR IGNORE INTO acc_dirty_people (uai, kind, person_id) VALUES (?, ?, ?)");
  }

  /** Whether writes of this type concern the projection. */
  concerns(type: RecordType): boolean {
    return isSource(type);
  }

  /** The people a mirror row names now (read before the write replaces it); undefined when there is no such row. */
  peopleOf(type: RecordType, id: string): RowPeople | undefined {
    if (!isSource(type)) return undefined;
    return this.people.get(type)!.get(id) as RowPeople | undefined;
  }

  /** Records a write that changed the row: its people before (if it existed) and after. */
  written(type: RecordType, id: string, before: RowPeople | undefined): void {
    if (!isSource(type)) return;
    const after = this.peopleOf(type, id);
    for (const row of before && after && samePeople(before, after) ? [after] : [before, after]) {
      if (!row) continue;
      this.mark.run({ uai: row.uai });
      if (this.full.get(row.uai) === 1) continue;
      for (const [kind, person] of [[row.k1, row.p1], [row.k2, row.p2]] as const) {
        if (person !== null && (kind === 'pupil' || kind === 'guardian')) this.person.run(row.uai, kind, person);
      }
    }
  }

  /**
   * Whether the establishment's projection will be rebuilt whole at its next refresh: marked so, or not built yet
   * (its first mark will ask for a whole rebuild). Its own rows' people need no record then.
   */
  rebuildsWhole(uai: string): boolean {
    const full = this.full.get(uai) as number | undefined;
    return full === 1 || (full === undefined && this.projected.get(uai) === undefined);
  }

  /**
   * Before a page of writes to `uai`: the people of the rows they name that now belong to another establishment
   * (keyed by type and id), the only ones a write to an establishment rebuilt whole must still record one by one.
   */
  peopleElsewhere(uai: string, writes: readonly { type: RecordType; id: string }[]): Map<string, RowPeople> {
    const ids = new Map<SourceType, string[]>();
    for (const w of writes) {
      if (!isSource(w.type)) continue;
      const list = ids.get(w.type);
      if (list) list.push(w.id);
      else ids.set(w.type, [w.id]);
    }
    const out = new Map<string, RowPeople>();
    for (const [type, list] of ids) {
      for (const { row_id: id, ...row } of this.peopleNotIn.get(type)!.all(JSON.stringify(list), uai) as (RowPeople & { row_id: string })[]) {
        out.set(`${type}\u0000${id}`, row);
      }
    }
    return out;
  }

  /** A write changed a row of this establishment, which is to be rebuilt whole (see `rebuildsWhole`): marks it. */
  establishmentChanged(uai: string): void {
    this.mark.run({ uai });
  }

  /** The establishment's mirror changed wholesale (a resync swap, a rollover): rebuild its projection whole. */
  changedWholesale(uai: string): void {
    this.markFull.run(uai);
  }
}

const samePeople = (a: RowPeople, b: RowPeople): boolean => a.uai === b.uai && a.k1 === b.k1 && a.p1 === b.p1 && a.k2 === b.k2 && a.p2 === b.p2;
