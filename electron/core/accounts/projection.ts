/**
 * The account projection of an establishment (acc_index, acc_groups, the text indexes acc_fts and acc_words, the
 * counts acc_facet_counts and acc_group_counts), computed from the directory mirror. The mirror's triggers record the
 * people each write concerns in acc_dirty_people and mark the establishment in acc_dirty; reads call `ensureFresh`
 * first, which recomputes, in one transaction, only the rows those changes can affect (the people themselves and the
 * families around them: family statuses, recovery emails, children's classes) and writes only what differs, plus the
 * probable-duplicate flags of the guardians sharing a name with a changed one. A first build or a change touching a
 * large part of the establishment rebuilds it whole.
 */
import type { Database, Statement } from 'better-sqlite3';
import {
  ACCOUNT_KINDS,
  attentionBit,
  contactStatus,
  displayName,
  familyStatus,
  foldText,
  guardianAttention,
  hasValidEmail,
  isActivatedState,
  isLetterExpired,
  pupilAttention,
  type AccountKind,
  type AccountStateValue,
  type AttentionKey,
  type FamilyStatus,
} from '../../../shared/domain/accounts';
import { mefLevel } from '../../../shared/domain/identifiers';
import type { AccountData, GuardianData, LinkData, PupilData } from '../../../shared/directory/wire';
import { ACCOUNT_LIST_INDEXES } from './schema';
import { encodeFacetKey, FACET_KEY_BITS, levelMask, withAttention } from './facet-key';

interface Live<T> {
  id: string;
  version: number;
  data: T;
}

type LiveRow = { id: string; version: number; data: string };
const parse = <T>(rows: LiveRow[]): Live<T>[] => rows.map((r) => ({ id: r.id, version: r.version, data: JSON.parse(r.data) as T }));

function liveRows<T>(db: Database, table: string, uai: string): Live<T>[] {
  // rowid order: the same order whether the whole establishment or a part of it is loaded.
  return parse<T>(db.prepare(`SELECT id, version, data FROM ${table} WHERE uai = ? AND deleted = 0 ORDER BY rowid`).all(uai) as LiveRow[]);
}

/**
 * A list of ids as the outer loop of a lookup: `FROM ${IDS} CROSS JOIN t ON t.col = ids.value` (CROSS JOIN keeps
 * that order, so the lookup uses t's index on col whatever the planner guesses of the list's size). The mirror's
 * (uai, deleted) terms are written `+t.uai`, `+t.deleted`: as index terms they would scan the whole establishment.
 */
const IDS = '(SELECT DISTINCT value FROM json_each(?)) AS ids';

function liveByIds<T>(db: Database, table: string, column: string, uai: string, ids: Iterable<string>): Live<T>[] {
  return parse<T>(
    db
      .prepare(
        `SELECT t.id, t.version, t.data FROM ${IDS} CROSS JOIN ${table} t ON t.${column} = ids.value
         WHERE +t.uai = ? AND +t.deleted = 0 ORDER BY t.rowid`,
      )
      .all(JSON.stringify([...ids]), uai) as LiveRow[],
  );
}

const maskOf = (keys: AttentionKey[]): number => keys.reduce((m, k) => m | attentionBit(k), 0);


/** acc_index's columns besides row_id and uai, in insert order. */
const COLUMNS = [
  'kind', 'person_id', 'person_version', 'account_id', 'account_version', 'login', 'state', 'activated_at', 'last_login_at',
  'last_name', 'first_name', 'display_name', 'sort_name', 'search', 'ine', 'birth_date', 'mef', 'division', 'email',
  'email_status', 'mobile', 'mobile_status', 'family', 'attention', 'levels', 'facet_key', 'dup_key', 'notified_at',
  'letter_expires_at',
] as const;
type Column = (typeof COLUMNS)[number];

interface GroupRow {
  mef: string;
  division: string;
  level: string;
  mef_first: number;
  division_first: number;
}

/** One computed row of the lists, with its MEF/classe groups. */
type ProjectedRow = Record<Column, string | number | null> & {
  kind: AccountKind;
  person_id: string;
  search: string;
  facet_key: number;
  attention: number;
  dup_key: string | null;
  groups: GroupRow[];
};

/** A row as stored (acc_index and its acc_groups rows). */
type StoredRow = ProjectedRow & { row_id: number; birth_date: string | null; last_name: string; first_name: string };

/** Bits of the acc_index row id in a text index row id (31 since migration 009: the facet key grew to 22 bits). */
const TEXT_ROW_BITS = 31;
if (FACET_KEY_BITS + TEXT_ROW_BITS > 53) throw new Error('the facet key does not fit in the text index row ids');
/**
 * The text indexes' row id of a list row: the list's scope (acc_scopes, bits 53–62), the row's facet key (bits 31–52)
 * and its acc_index row id (bits 0–30), so that a text search is a walk of one scope's rowid range with bit tests (see
 * migrations 006 and 009).
 */
export const TEXT_KEY_SQL = `((? << 53) | (? << ${TEXT_ROW_BITS}) | ?)`;
/** The facet key and the acc_index row id embedded in a text index row id (SQL over `rowid`). */
export const TEXT_FACET_SQL = `((rowid >> ${TEXT_ROW_BITS}) & ${2 ** FACET_KEY_BITS - 1})`;
export const TEXT_ROW_SQL = `(rowid & ${2 ** TEXT_ROW_BITS - 1})`;
/** The bounds of one scope's rowid range in the text indexes. */
export const scopeRange = (scope: number): [string, number[]] => ['BETWEEN (? << 53) AND ((? << 53) | 9007199254740991)', [scope, scope]];
/** The facet key of acc_group_counts' per-value totals (whatever the facet key). */
export const ALL_KEYS = -1;
/** acc_index row ids stay below this (their bits in the text key). */
const ROW_ID_LIMIT = 2 ** TEXT_ROW_BITS;

/** The scope number of a list, or undefined when it was never projected. */
export function scopeOf(db: Database, uai: string, kind: AccountKind): number | undefined {
  return db.prepare('SELECT scope FROM acc_scopes WHERE uai = ? AND kind = ?').pluck().get(uai, kind) as number | undefined;
}

/**
 * The clock of the time-dependent rule (« courrier expiré »: a letter's end is passed). The lists re-mark the people
 * whose letter has expired since their row was computed (letter-expiry.ts); tests may set another clock.
 */
export const projectionClock = { now: (): Date => new Date() };

/**
 * Whether the lists of `uai` (of any establishment without it) must wait for `ensureFresh`: its projection has changes
 * it has not taken yet, or a whole rebuild is under way somewhere (it may have dropped the list indexes every list
 * reads through). One indexed lookup.
 */
export function isStale(db: Database, uai?: string): boolean {
  const found = uai === undefined
    ? db.prepare('SELECT 1 FROM acc_dirty LIMIT 1').get()
    : db.prepare('SELECT 1 FROM acc_dirty WHERE uai = ? OR full = ? LIMIT 1').get(uai, REBUILDING);
  return found !== undefined;
}

/**
 * Lets other work in between two steps of a long write: the write worker answers the main thread's writes waiting
 * for the lock (see electron/core/writer/worker.ts). By default, nothing.
 */
export type Breathe = () => Promise<void>;
const noBreath: Breathe = () => Promise.resolve();

/**
 * Brings every marked establishment (or only `uai`, after any whole rebuild a crash cut short) up to date. Cheap when
 * nothing is marked (one indexed lookup).
 */
export async function ensureFresh(db: Database, uai?: string, breathe: Breathe = noBreath): Promise<void> {
  const marked = (uai === undefined
    ? db.prepare('SELECT uai, full FROM acc_dirty ORDER BY full = ? DESC').all(REBUILDING)
    : db.prepare('SELECT uai, full FROM acc_dirty WHERE uai = ? OR full = ? ORDER BY full = ? DESC').all(uai, REBUILDING, REBUILDING)) as { uai: string; full: number }[];
  if (marked.length === 0) return;
  if (((db.prepare('SELECT max(row_id) FROM acc_index').pluck().get() as number | null) ?? 0) > ROW_ID_LIMIT / 2) {
    resetAll(db);
    await ensureFresh(db, uai, breathe);
    return;
  }
  for (const m of marked) {
    if (m.full !== INCREMENTAL) await rebuild(db, m.uai, breathe);
    else await refresh(db, m.uai, breathe);
  }
}

/**
 * Empties the whole projection and marks every establishment for a rebuild: row ids then start again from 1. Only
 * when they near the 32 bits the text indexes give them (after very many whole rebuilds of a mirror holding several
 * establishments).
 */
function resetAll(db: Database): void {
  db.transaction(() => {
    db.exec(`
      INSERT INTO acc_dirty (uai, full) SELECT DISTINCT uai, 1 FROM acc_index WHERE true ON CONFLICT (uai) DO UPDATE SET full = 1;
      DELETE FROM acc_dirty_people;
      DELETE FROM acc_groups; DELETE FROM acc_index; DELETE FROM acc_facet_counts; DELETE FROM acc_group_counts;
      INSERT INTO acc_fts (acc_fts) VALUES ('delete-all'); INSERT INTO acc_words (acc_words) VALUES ('delete-all');
    `);
  })();
}

/** Above this many people, a whole rebuild recreates the list indexes rather than maintaining them row by row. */
const BULK_ROWS = 20_000;

/**
 * Rows a whole rebuild writes per transaction: tens of milliseconds of the write lock, so that a write of the main
 * thread waiting for it gets in soon (the rebuild of a 177,000-person establishment holds it for seconds in all).
 */
const REBUILD_CHUNK = 2_000;

/**
 * acc_dirty.full: 0, refresh the people recorded in acc_dirty_people; 1, rebuild the establishment whole; 2, a whole
 * rebuild is under way (or was cut short by a crash: the next refresh of any establishment starts it over first).
 * While it runs, the mirror's writes record their people as for 0 (marks.ts sees full ≠ 1), so that what it did not
 * read is refreshed after it; and every list read waits for it (isStale), as the list indexes may be dropped.
 */
const INCREMENTAL = 0;
const REBUILDING = 2;

/** Above this share of the establishment's rows, recomputing everything is cheaper than following the changes. */
const INCREMENTAL_MAX_SHARE = 0.2;

interface Source {
  pupils: Live<PupilData>[];
  guardians: Live<GuardianData>[];
  links: Live<LinkData>[];
  accounts: Live<AccountData>[];
}

/**
 * Rebuilds the whole projection of one establishment, in steps that each hold the write lock briefly:
 * 1. claims it (acc_dirty.full = 2), so that the mirror's writes from now on record their people;
 * 2. reads the mirror in one read transaction and computes every row, holding no write lock;
 * 3. empties the establishment's projection, then writes the rows a chunk per transaction; a large establishment
 *    without the list indexes, which are then built from the sorted rows one at a time;
 * 4. counts, and ends the claim: the people recorded meanwhile are left for an incremental refresh; a wholesale
 *    change meanwhile (full = 1) asks for another rebuild.
 * Readers of the lists wait for the end (isStale sees the claim; their refresh is queued behind the rebuild in the
 * write worker); a crash half-way leaves the claim, and the next refresh starts over (and builds any list index left
 * missing).
 */
export async function rebuild(db: Database, uai: string, breathe: Breathe = noBreath): Promise<void> {
  db.transaction(() => {
    db.prepare('INSERT INTO acc_dirty (uai, full) VALUES (?, ?) ON CONFLICT (uai) DO UPDATE SET full = excluded.full').run(uai, REBUILDING);
    db.prepare('DELETE FROM acc_dirty_people WHERE uai = ?').run(uai);
  })();
  const src: Source = db.transaction(() => ({
    pupils: liveRows<PupilData>(db, 'dir_pupils', uai),
    guardians: liveRows<GuardianData>(db, 'dir_guardians', uai),
    links: liveRows<LinkData>(db, 'dir_links', uai),
    accounts: liveRows<AccountData>(db, 'dir_accounts', uai),
  })).deferred();
  const rows = computeRows(src).rows;
  // Many rows: write them without the list indexes, then build those from the sorted rows.
  const bulk = src.pupils.length + src.guardians.length > BULK_ROWS;
  const writer = new Writer(db, uai);
  await breathe();
  db.transaction(() => {
    if (bulk) for (const index of ACCOUNT_LIST_INDEXES) db.exec(`DROP INDEX IF EXISTS ${index.name}`);
    writer.clear();
  })();
  for (let i = 0; i < rows.length; i += REBUILD_CHUNK) {
    await breathe();
    db.transaction(() => {
      for (const row of rows.slice(i, i + REBUILD_CHUNK)) writer.insert(row);
    })();
  }
  for (const index of ACCOUNT_LIST_INDEXES) {
    await breathe();
    db.exec(index.sql.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
  }
  await breathe();
  db.transaction(() => {
    writer.recount();
    const recorded = db.prepare('SELECT 1 FROM acc_dirty_people WHERE uai = ? LIMIT 1').get(uai) !== undefined;
    if (recorded) db.prepare('UPDATE acc_dirty SET full = ? WHERE uai = ? AND full = ?').run(INCREMENTAL, uai, REBUILDING);
    else db.prepare('DELETE FROM acc_dirty WHERE uai = ? AND full = ?').run(uai, REBUILDING);
  })();
  // Fresh statistics let the planner pick the index that matches each filter and sort (bounded: a sample per index).
  db.exec('PRAGMA analysis_limit = 1000; ANALYZE acc_index; ANALYZE acc_groups;');
}

/**
 * Recomputes the rows the recorded changes can affect and writes only what differs: changed pupils and the pupils of
 * changed guardians; the guardians linked to any of those pupils (families, children's classes). A probable duplicate
 * flag depends on other guardians: those sharing a duplicate key (old or new) with a recomputed guardian are read
 * from acc_index, and their flag is corrected when the change adds or removes a twin. Falls back to `rebuild` when
 * the changes concern a large part of the establishment.
 */
export async function refresh(db: Database, uai: string, breathe: Breathe = noBreath): Promise<void> {
  const seeds = db.prepare('SELECT kind, person_id FROM acc_dirty_people WHERE uai = ?').all(uai) as { kind: string; person_id: string }[];
  const size = (db.prepare('SELECT sum(n) FROM acc_facet_counts WHERE uai = ?').pluck().get(uai) as number | null) ?? 0;
  if (seeds.length > Math.max(200, size * INCREMENTAL_MAX_SHARE)) {
    await rebuild(db, uai, breathe);
    return;
  }
  db.transaction(() => {
    const linked = (select: 'pupil_id' | 'guardian_id', by: 'pupil_id' | 'guardian_id', ids: Set<string>): string[] =>
      ids.size === 0
        ? []
        : (db
            .prepare(`SELECT DISTINCT l.${select} FROM ${IDS} CROSS JOIN dir_links l ON l.${by} = ids.value WHERE +l.uai = ? AND +l.deleted = 0`)
            .pluck()
            .all(JSON.stringify([...ids]), uai) as string[]);
    const seedPupils = new Set(seeds.filter((r) => r.kind === 'pupil').map((r) => r.person_id));
    const seedGuardians = new Set(seeds.filter((r) => r.kind === 'guardian').map((r) => r.person_id));
    const pupilRows = new Set([...seedPupils, ...linked('pupil_id', 'guardian_id', seedGuardians)]);
    const guardianRows = new Set([...seedGuardians, ...linked('guardian_id', 'pupil_id', pupilRows)]);

    // What those rows are computed from: their children, the children's legal guardians, everyone's accounts.
    const pupilIds = new Set([...pupilRows, ...linked('pupil_id', 'guardian_id', guardianRows)]);
    const guardianIds = new Set([...guardianRows, ...linked('guardian_id', 'pupil_id', pupilIds)]);
    const links = new Map<string, Live<LinkData> & { rowid: number }>();
    for (const [column, ids] of [['pupil_id', pupilIds], ['guardian_id', guardianRows]] as const) {
      const rows = db
        .prepare(
          `SELECT l.rowid, l.id, l.version, l.data FROM ${IDS} CROSS JOIN dir_links l ON l.${column} = ids.value
           WHERE +l.uai = ? AND +l.deleted = 0`,
        )
        .all(JSON.stringify([...ids]), uai) as (LiveRow & { rowid: number })[];
      for (const r of rows) links.set(r.id, { rowid: r.rowid, id: r.id, version: r.version, data: JSON.parse(r.data) as LinkData });
    }
    const src: Source = {
      pupils: liveByIds<PupilData>(db, 'dir_pupils', 'id', uai, pupilIds),
      guardians: liveByIds<GuardianData>(db, 'dir_guardians', 'id', uai, guardianIds),
      links: [...links.values()].sort((a, b) => a.rowid - b.rowid),
      accounts: liveByIds<AccountData>(db, 'dir_accounts', 'person_id', uai, new Set([...pupilIds, ...guardianIds])),
    };

    const stored = new Map<string, StoredRow>();
    for (const row of storedRows(db, uai, 'pupil', pupilRows)) stored.set(`pupil:${row.person_id}`, row);
    for (const row of storedRows(db, uai, 'guardian', guardianRows)) stored.set(`guardian:${row.person_id}`, row);

    // Probable duplicates. A name key is affected when a recomputed guardian enters or leaves it (listed or not, renamed)
    // or changes birth date in it; elsewhere every flag stays as stored. In an affected key, the flags are recomputed
    // from the recomputed guardians and the other listed guardians of that key (read from acc_index), whose flag is
    // then corrected where the change turned it on or off.
    let others: Twin[] = [];
    const duplicatesOf = (listed: DuplicateCandidate[]): Set<string> => {
      const affected = new Set<string>();
      const listedIds = new Set(listed.map((c) => c.id));
      for (const c of listed) {
        const old = stored.get(`guardian:${c.id}`);
        if (old && old.dup_key === c.key && old.birth_date === c.birthDate) continue;
        affected.add(c.key);
        if (old?.dup_key) affected.add(old.dup_key);
      }
      for (const old of stored.values()) if (old.kind === 'guardian' && !listedIds.has(old.person_id) && old.dup_key) affected.add(old.dup_key);
      const out = new Set(listed.filter((c) => !affected.has(c.key) && (stored.get(`guardian:${c.id}`)!.attention & DUPLICATE_BIT) !== 0).map((c) => c.id));
      if (affected.size === 0) return out;
      others = (
        db
          .prepare(
            `SELECT a.person_id, a.dup_key, a.birth_date, a.attention FROM ${IDS}
             CROSS JOIN acc_index a ON a.uai = ? AND a.kind = 'guardian' AND a.dup_key = ids.value`,
          )
          .all(JSON.stringify([...affected]), uai) as Twin[]
      ).filter((t) => !guardianRows.has(t.person_id));
      const candidates = [
        ...listed.filter((c) => affected.has(c.key)),
        ...others.map((t) => ({ id: t.person_id, key: t.dup_key!, birthDate: t.birth_date })),
      ];
      for (const id of duplicatesByKey(candidates)) out.add(id);
      return out;
    };
    const rows = computeRows(src, { pupils: pupilRows, guardians: guardianRows }, duplicatesOf);
    const writer = new Writer(db, uai);
    for (const row of rows.rows) {
      const key = `${row.kind}:${row.person_id}`;
      const old = stored.get(key);
      stored.delete(key);
      if (old) writer.update(old, row);
      else writer.insert(row);
    }
    for (const old of stored.values()) writer.remove(old);
    // The twins whose flag the change turned on or off.
    const flipped = new Set(others.filter((t) => rows.duplicates.has(t.person_id) !== ((t.attention & DUPLICATE_BIT) !== 0)).map((t) => t.person_id));
    for (const old of storedRows(db, uai, 'guardian', flipped)) {
      const attention = old.attention ^ DUPLICATE_BIT;
      writer.update(old, { ...old, attention, facet_key: withAttention(old.facet_key, attention) });
    }
    writer.flushCounts();
    db.prepare('DELETE FROM acc_dirty_people WHERE uai = ?').run(uai);
    db.prepare('DELETE FROM acc_dirty WHERE uai = ?').run(uai);
  })();
}

const DUPLICATE_BIT = attentionBit('duplicateGuardian');

/** What the probable-duplicate rule reads of a listed guardian that is not recomputed. */
type Twin = Pick<StoredRow, 'person_id' | 'dup_key' | 'birth_date' | 'attention'>;

interface DuplicateCandidate {
  id: string;
  /** dupKey of the birth name and first name. */
  key: string;
  birthDate: string | null;
}

/**
 * probableDuplicates (shared/domain/accounts) on guardians whose name key is already computed: same key, and birth
 * dates equal or one unknown.
 */
function duplicatesByKey(candidates: readonly DuplicateCandidate[]): Set<string> {
  const groups = new Map<string, DuplicateCandidate[]>();
  for (const c of candidates) {
    const list = groups.get(c.key);
    if (list) list.push(c);
    else groups.set(c.key, [c]);
  }
  const out = new Set<string>();
  for (const list of groups.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i]!, list[j]!];
        if (a.birthDate === null || b.birthDate === null || a.birthDate === b.birthDate) {
          out.add(a.id);
          out.add(b.id);
        }
      }
    }
  }
  return out;
}

/** The stored rows (with their groups) of these people of one list. */
function storedRows(db: Database, uai: string, kind: AccountKind, ids: Set<string>): StoredRow[] {
  if (ids.size === 0) return [];
  // Raw arrays: building objects of 28 named columns costs more than the lookups themselves.
  const rows = (
    db
      .prepare(`SELECT a.row_id, ${COLUMNS.map((c) => `a.${c}`).join(', ')} FROM ${IDS} CROSS JOIN acc_index a ON a.kind = ? AND a.person_id = ids.value WHERE a.uai = ?`)
      .raw()
      .all(JSON.stringify([...ids]), kind, uai) as unknown[][]
  ).map((values) => {
    const row = { row_id: values[0] } as Record<string, unknown>;
    COLUMNS.forEach((c, i) => (row[c] = values[i + 1]));
    return row as Omit<StoredRow, 'groups'>;
  });
  const groups = new Map<number, GroupRow[]>();
  const all = db
    .prepare(
      `SELECT g.row_id, g.mef, g.division, g.level, g.mef_first, g.division_first FROM ${IDS} CROSS JOIN acc_groups g ON g.row_id = ids.value`,
    )
    .all(JSON.stringify(rows.map((r) => r.row_id))) as (GroupRow & { row_id: number })[];
  for (const { row_id: rowId, ...g } of all) push(groups, rowId, g);
  return rows.map((row) => ({ ...row, groups: groups.get(row.row_id) ?? [] }) as StoredRow);
}

const sameGroups = (a: GroupRow[], b: GroupRow[]): boolean => {
  if (a.length !== b.length) return false;
  const key = (g: GroupRow) => `${g.mef}\u0000${g.division}\u0000${g.level}\u0000${g.mef_first}\u0000${g.division_first}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.every((k, i) => k === right[i]);
};

/**
 * Writes projection rows of one establishment: acc_index, acc_groups, both text indexes, and (incrementally) the
 * counts per facet key and per MEF/classe. An update writes only the columns that differ, and touches the text
 * indexes and the groups only when their content or the facet key changed.
 */
class Writer {
  private readonly scopes = new Map<AccountKind, number>();
  private readonly facetDelta = new Map<string, number>();
  private readonly groupDelta = new Map<string, number>();
  private readonly updates = new Map<string, Statement>();
  private readonly stmt: Record<'insert' | 'group' | 'dropGroups' | 'drop' | 'fts' | 'words' | 'dropFts' | 'dropWords', Statement>;

  constructor(
    private readonly db: Database,
    private readonly uai: string,
  ) {
    this.stmt = {
      insert: db.prepare(`INSERT INTO acc_index (uai, ${COLUMNS.join(', ')}) VALUES (?, ${COLUMNS.map(() => '?').join(', ')})`),
      group: db.prepare(`INSERT OR IGNORE INTO acc_groups (row_id, uai, kind, mef, division, level, facet_key, mef_first, division_first)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      dropGroups: db.prepare('DELETE FROM acc_groups WHERE row_id = ?'),
      drop: db.prepare('DELETE FROM acc_index WHERE row_id = ?'),
      fts: db.prepare(`INSERT INTO acc_fts (rowid, search) VALUES (${TEXT_KEY_SQL}, ?)`),
      words: db.prepare(`INSERT INTO acc_words (rowid, search) VALUES (${TEXT_KEY_SQL}, ?)`),
      dropFts: db.prepare(`DELETE FROM acc_fts WHERE rowid = ${TEXT_KEY_SQL}`),
      dropWords: db.prepare(`DELETE FROM acc_words WHERE rowid = ${TEXT_KEY_SQL}`),
    };
  }

  private scope(kind: AccountKind): number {
    let scope = this.scopes.get(kind) ?? scopeOf(this.db, this.uai, kind);
    if (scope === undefined) {
      this.db
        .prepare('INSERT INTO acc_scopes (scope, uai, kind) SELECT coalesce(max(scope), 0) + 1, ?, ? FROM acc_scopes')
        .run(this.uai, kind);
      scope = scopeOf(this.db, this.uai, kind)!;
    }
    this.scopes.set(kind, scope);
    return scope;
  }

  /** Empties the establishment's projection. */
  clear(): void {
    for (const kind of ACCOUNT_KINDS) {
      const scope = scopeOf(this.db, this.uai, kind);
      if (scope === undefined) continue;
      const [range, params] = scopeRange(scope);
      this.db.prepare(`DELETE FROM acc_fts WHERE rowid ${range}`).run(...params);
      this.db.prepare(`DELETE FROM acc_words WHERE rowid ${range}`).run(...params);
    }
    for (const table of ['acc_groups', 'acc_index', 'acc_facet_counts', 'acc_group_counts']) {
      this.db.prepare(`DELETE FROM ${table} WHERE uai = ?`).run(this.uai);
    }
  }

  /** Recomputes the establishment's counts from its rows (after a whole rebuild). */
  recount(): void {
    this.db.prepare('DELETE FROM acc_facet_counts WHERE uai = ?').run(this.uai);
    this.db.prepare('DELETE FROM acc_group_counts WHERE uai = ?').run(this.uai);
    this.db
      .prepare('INSERT INTO acc_facet_counts (uai, kind, facet_key, n) SELECT uai, kind, facet_key, count(*) FROM acc_index WHERE uai = ? GROUP BY kind, facet_key')
      .run(this.uai);
    for (const field of ['mef', 'division'] as const) {
      this.db
        .prepare(
          `INSERT INTO acc_group_counts (uai, kind, field, value, facet_key, n)
           SELECT uai, kind, '${field}', ${field}, facet_key, count(*) FROM acc_groups WHERE uai = ? AND ${field}_first = 1
           GROUP BY kind, ${field}, facet_key`,
        )
        .run(this.uai);
      this.db
        .prepare(
          `INSERT INTO acc_group_counts (uai, kind, field, value, facet_key, n)
           SELECT uai, kind, field, value, ${ALL_KEYS}, sum(n) FROM acc_group_counts WHERE uai = ? AND field = '${field}'
           GROUP BY kind, value`,
        )
        .run(this.uai);
    }
  }

  insert(row: ProjectedRow): void {
    const rowId = Number(this.stmt.insert.run(this.uai, ...COLUMNS.map((c) => row[c])).lastInsertRowid);
    if (rowId >= ROW_ID_LIMIT) throw new Error(`account projection row id ${rowId} beyond ${TEXT_ROW_BITS} bits`);
    this.writeGroups(rowId, row, 1);
    this.writeText(rowId, row, 1);
    this.count(row, 1);
  }

  remove(old: StoredRow): void {
    this.writeText(old.row_id, old, -1);
    this.writeGroups(old.row_id, old, -1);
    this.stmt.drop.run(old.row_id);
    this.count(old, -1);
  }

  update(old: StoredRow, row: ProjectedRow): void {
    const changed = COLUMNS.filter((c) => old[c] !== row[c]);
    const keyChanged = old.facet_key !== row.facet_key;
    const groupsChanged = keyChanged || !sameGroups(old.groups, row.groups);
    if (changed.length === 0 && !groupsChanged) return;
    if (changed.length > 0) {
      const sql = `UPDATE acc_index SET ${changed.map((c) => `${c} = ?`).join(', ')} WHERE row_id = ?`;
      let stmt = this.updates.get(sql);
      if (!stmt) this.updates.set(sql, (stmt = this.db.prepare(sql)));
      stmt.run(...changed.map((c) => row[c]), old.row_id);
    }
    if (keyChanged || old.search !== row.search) {
      this.writeText(old.row_id, old, -1);
      this.writeText(old.row_id, row, 1);
    }
    if (groupsChanged) {
      this.writeGroups(old.row_id, old, -1);
      this.writeGroups(old.row_id, row, 1);
    }
    if (keyChanged) {
      this.count(old, -1);
      this.count(row, 1);
    }
  }

  private writeText(rowId: number, row: ProjectedRow, sign: 1 | -1): void {
    const key = [this.scope(row.kind), row.facet_key, rowId];
    if (sign > 0) {
      this.stmt.fts.run(...key, row.search);
      this.stmt.words.run(...key, row.search);
    } else {
      this.stmt.dropFts.run(...key);
      this.stmt.dropWords.run(...key);
    }
  }

  /** Writes (or deletes) a row's groups and counts them per MEF and classe. */
  private writeGroups(rowId: number, row: ProjectedRow, sign: 1 | -1): void {
    if (sign > 0) {
      for (const g of row.groups) {
        this.stmt.group.run(rowId, this.uai, row.kind, g.mef, g.division, g.level, row.facet_key, g.mef_first, g.division_first);
      }
    } else {
      this.stmt.dropGroups.run(rowId);
    }
    for (const g of row.groups) {
      if (g.mef_first) add(this.groupDelta, [row.kind, 'mef', g.mef, row.facet_key].join('\u0000'), sign);
      if (g.division_first) add(this.groupDelta, [row.kind, 'division', g.division, row.facet_key].join('\u0000'), sign);
    }
  }

  private count(row: ProjectedRow, sign: 1 | -1): void {
    add(this.facetDelta, `${row.kind}\u0000${row.facet_key}`, sign);
  }

  /** Applies the counted changes to acc_facet_counts and acc_group_counts (rows reaching 0 are removed). */
  flushCounts(): void {
    const facet = this.db.prepare(
      `INSERT INTO acc_facet_counts (uai, kind, facet_key, n) VALUES (?, ?, ?, ?)
       ON CONFLICT (uai, kind, facet_key) DO UPDATE SET n = n + excluded.n`,
    );
    for (const [key, n] of this.facetDelta) {
      if (n === 0) continue;
      const [kind, facetKey] = key.split('\u0000');
      facet.run(this.uai, kind, Number(facetKey), n);
    }
    const group = this.db.prepare(
      `INSERT INTO acc_group_counts (uai, kind, field, value, facet_key, n) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (uai, kind, field, value, facet_key) DO UPDATE SET n = n + excluded.n`,
    );
    const totals = new Map<string, number>();
    for (const [key, n] of this.groupDelta) {
      if (n === 0) continue;
      const [kind, field, value, facetKey] = key.split('\u0000');
      group.run(this.uai, kind, field, value, Number(facetKey), n);
      add(totals, [kind, field, value].join('\u0000'), n);
    }
    for (const [key, n] of totals) {
      const [kind, field, value] = key.split('\u0000');
      if (n !== 0) group.run(this.uai, kind, field, value, ALL_KEYS, n);
    }
    this.db.prepare('DELETE FROM acc_facet_counts WHERE uai = ? AND n = 0').run(this.uai);
    this.db.prepare('DELETE FROM acc_group_counts WHERE uai = ? AND n = 0').run(this.uai);
    this.facetDelta.clear();
    this.groupDelta.clear();
  }
}

const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);

/**
 * Computes the rows of `src`'s people (only those of `only` when given; `src` must then hold everything they depend
 * on). Pupils are always listed; guardians when they hold an account or are a legal guardian. `duplicatesOf` gives the
 * probable duplicates among the listed guardians (by default, among themselves). Returns the rows and that set.
 */
function computeRows(
  src: Source,
  only?: { pupils: Set<string>; guardians: Set<string> },
  duplicatesOf: (listed: DuplicateCandidate[]) => Set<string> = duplicatesByKey,
): { rows: ProjectedRow[]; duplicates: Set<string> } {
  const { pupils, guardians, links, accounts } = src;
  const now = projectionClock.now();
  const accountOf = new Map<string, Live<AccountData>>();
  for (const a of accounts) accountOf.set(`${a.data.personKind}:${a.data.personId}`, a);
  const pupilById = new Map(pupils.map((p) => [p.id, p]));
  const guardianById = new Map(guardians.map((g) => [g.id, g]));
  const legalOfPupil = new Map<string, string[]>();
  const childrenOf = new Map<string, string[]>();
  for (const l of links) {
    if (!pupilById.has(l.data.pupilId) || !guardianById.has(l.data.guardianId)) continue;
    if (l.data.level === 1) push(legalOfPupil, l.data.pupilId, l.data.guardianId);
    push(childrenOf, l.data.guardianId, l.data.pupilId);
  }
  const activated = (guardianId: string) => isActivatedState(accountOf.get(`guardian:${guardianId}`)?.data.state);
  const familyOfGuardians = (ids: Set<string>): FamilyStatus => {
    let on = 0;
    for (const id of ids) if (activated(id)) on++;
    return familyStatus(on, ids.size);
  };
  const rows: ProjectedRow[] = [];

  for (const p of pupils) {
    if (only && !only.pupils.has(p.id)) continue;
    const d = p.data;
    const account = accountOf.get(`pupil:${p.id}`);
    const a = account?.data;
    const legal = new Set(legalOfPupil.get(p.id) ?? []);
    const family = familyOfGuardians(legal);
    const guardianHasValidEmail = [...legal].some((g) => hasValidEmail(guardianById.get(g)?.data.email));
    const email = a ? a.email : d.email;
    const letterExpired = isLetterExpired(a?.state, a?.letterExpiresAt, now);
    const attention = maskOf(pupilAttention({ ine: d.ine, email: d.email, accountEmail: a?.email ?? null, guardianHasValidEmail, family, letterExpired }));
    const level = mefLevel(d.mef) ?? 'autre';
    const state = (a?.state ?? 'none') as AccountStateValue;
    const emailStatus = contactStatus(email, a?.emailConfirmed);
    const mobileStatus = contactStatus(a?.mobile, a?.mobileConfirmed);
    const levels = levelMask([level]);
    rows.push({
      kind: 'pupil', person_id: p.id, person_version: p.version, account_id: account?.id ?? null, account_version: account?.version ?? null,
      login: a?.login ?? null, state, activated_at: a?.activatedAt ?? null, last_login_at: a?.lastLoginAt ?? null,
      last_name: d.lastName, first_name: d.firstName, display_name: displayName(d.lastName, d.usageName, d.firstName),
      sort_name: sortKey(d.usageName || d.lastName, d.firstName),
      search: foldText([d.lastName, d.usageName, d.firstName, d.firstName2, d.ine, a?.login].filter(Boolean).join(' ')),
      ine: d.ine, birth_date: d.birthDate, mef: d.mef, division: d.division, email: email ?? null, email_status: emailStatus,
      mobile: a?.mobile ?? null, mobile_status: mobileStatus, family, attention, levels,
      facet_key: encodeFacetKey({ state, family, email: emailStatus, mobile: mobileStatus, attention, levels }), dup_key: null,
      notified_at: utc(a?.notifiedAt), letter_expires_at: utc(a?.letterExpiresAt),
      groups: [{ mef: d.mef, division: d.division, level, mef_first: 1, division_first: 1 }],
    });
  }

  const legalGuardians = new Set<string>();
  for (const ids of legalOfPupil.values()) for (const id of ids) legalGuardians.add(id);
  const listed = guardians.filter(
    (g) => (!only || only.guardians.has(g.id)) && (legalGuardians.has(g.id) || accountOf.has(`guardian:${g.id}`)),
  );
  const duplicates = duplicatesOf(
    listed.map((g) => ({ id: g.id, key: dupKey(g.data.lastName, g.data.firstName), birthDate: g.data.birthDate ?? null })),
  );
  for (const g of listed) {
    const d = g.data;
    const account = accountOf.get(`guardian:${g.id}`);
    const a = account?.data;
    const children = [...new Set(childrenOf.get(g.id) ?? [])];
    const familyGuardians = new Set<string>();
    for (const child of children) for (const id of legalOfPupil.get(child) ?? []) familyGuardians.add(id);
    const family = familyOfGuardians(familyGuardians);
    const attention = maskOf(
      guardianAttention({
        email: d.email,
        mobile: d.mobile,
        phoneHome: d.phoneHome,
        phoneWork: d.phoneWork,
        isLegal: legalGuardians.has(g.id),
        duplicate: duplicates.has(g.id),
        family,
        letterExpired: isLetterExpired(a?.state, a?.letterExpiresAt, now),
      }),
    );
    const email = a ? a.email : d.email;
    const mobile = a ? a.mobile : d.mobile;
    const childRecords = children.flatMap((c) => pupilById.get(c) ?? []);
    const firstChild = childRecords[0];
    const state = (a?.state ?? 'none') as AccountStateValue;
    const emailStatus = contactStatus(email, a?.emailConfirmed);
    const mobileStatus = contactStatus(mobile, a?.mobileConfirmed);
    const levels = levelMask(childRecords.map((c) => mefLevel(c.data.mef) ?? 'autre'));
    const groups: GroupRow[] = [];
    const mefs = new Set<string>();
    const divisions = new Set<string>();
    const pairs = new Set<string>();
    for (const c of childRecords) {
      const { mef, division } = c.data;
      if (pairs.has(`${mef}\u0000${division}`)) continue;
      pairs.add(`${mef}\u0000${division}`);
      groups.push({ mef, division, level: mefLevel(mef) ?? 'autre', mef_first: mefs.has(mef) ? 0 : 1, division_first: divisions.has(division) ? 0 : 1 });
      mefs.add(mef);
      divisions.add(division);
    }
    rows.push({
      kind: 'guardian', person_id: g.id, person_version: g.version, account_id: account?.id ?? null, account_version: account?.version ?? null,
      login: a?.login ?? null, state, activated_at: a?.activatedAt ?? null, last_login_at: a?.lastLoginAt ?? null,
      last_name: d.lastName, first_name: d.firstName, display_name: displayName(d.lastName, d.usageName, d.firstName),
      sort_name: sortKey(d.usageName || d.lastName, d.firstName),
      search: foldText([d.lastName, d.usageName, d.firstName, a?.login].filter(Boolean).join(' ')),
      ine: null, birth_date: d.birthDate ?? null, mef: firstChild?.data.mef ?? null, division: firstChild?.data.division ?? null,
      email: email ?? null, email_status: emailStatus, mobile: mobile ?? null, mobile_status: mobileStatus, family, attention, levels,
      facet_key: encodeFacetKey({ state, family, email: emailStatus, mobile: mobileStatus, attention, levels }),
      dup_key: dupKey(d.lastName, d.firstName), notified_at: utc(a?.notifiedAt), letter_expires_at: utc(a?.letterExpiresAt),
      groups,
    });
  }
  return { rows, duplicates };
}

/** Guardians with the same key are probable-duplicate candidates (probableDuplicates folds the same way). */
const dupKey = (lastName: string, firstName: string): string => `${foldText(lastName)}|${foldText(firstName)}`;

/** A directory timestamp (any offset) as UTC ISO, so that stored dates compare as strings (letter-expiry.ts). */
const utc = (iso: string | null | undefined): string | null => {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
};

/** Folded "name first name" so that sorting ignores accents and case. */
const sortKey = (name: string, firstName: string): string => `${foldText(name)}\u0001${foldText(firstName)}`;

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The projection's writes, as the write worker runs them on its own connection (electron/core/writer/). */
export function projectionWrites(db: Database, breathe: Breathe) {
  return {
    /** Brings the projection of `uai` (of every marked establishment without it) up to date. */
    'projection.refresh': ({ uai }: { uai?: string }): Promise<void> => ensureFresh(db, uai, breathe),
  };
}
