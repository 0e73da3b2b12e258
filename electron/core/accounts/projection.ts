/**
 * The account projection (acc_index, acc_groups, acc_fts) of an establishment, computed from the directory mirror.
 * The mirror's triggers record the people each write concerns in acc_dirty_people and mark the establishment in
 * acc_dirty; reads call `ensureFresh` first, which recomputes, in one transaction, only the rows those changes can
 * affect: the people themselves, the families around them (family statuses, recovery emails, children's classes) and
 * the guardians sharing a probable-duplicate key. A first build or a change touching a large part of the
 * establishment rebuilds it whole.
 */
import type { Database } from 'better-sqlite3';
import {
  attentionBit,
  contactStatus,
  familyStatus,
  foldText,
  guardianAttention,
  hasValidEmail,
  isActivatedState,
  probableDuplicates,
  pupilAttention,
  type AccountStateValue,
  type AttentionKey,
  type FamilyStatus,
} from '../../../shared/domain/accounts';
import { mefLevel } from '../../../shared/domain/identifiers';
import type { AccountData, GuardianData, LinkData, PupilData } from '../../../shared/directory/wire';
import { ACCOUNT_LIST_INDEXES } from '../db/migrations/004-accounts';
import { encodeFacetKey, levelMask } from './facet-key';

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

export const displayName = (lastName: string, usageName: string | null | undefined, firstName: string): string =>
  `${(usageName || lastName).toUpperCase()} ${firstName}`;

/** Brings every marked establishment (or only `uai`) up to date. Cheap when nothing is marked (one indexed lookup). */
export function ensureFresh(db: Database, uai?: string): void {
  const marked = (uai === undefined
    ? db.prepare('SELECT uai, full FROM acc_dirty').all()
    : db.prepare('SELECT uai, full FROM acc_dirty WHERE uai = ?').all(uai)) as { uai: string; full: number }[];
  for (const m of marked) {
    if (m.full) rebuild(db, m.uai);
    else refresh(db, m.uai);
  }
}

/** Above this many people, a whole rebuild recreates the list indexes rather than maintaining them row by row. */
const BULK_ROWS = 20_000;

/** Above this share of the establishment's rows, recomputing everything is cheaper than following the changes. */
const INCREMENTAL_MAX_SHARE = 0.2;

interface Source {
  pupils: Live<PupilData>[];
  guardians: Live<GuardianData>[];
  links: Live<LinkData>[];
  accounts: Live<AccountData>[];
}

/** Rebuilds the whole projection of one establishment. */
export function rebuild(db: Database, uai: string): void {
  db.transaction(() => {
    const src: Source = {
      pupils: liveRows<PupilData>(db, 'dir_pupils', uai),
      guardians: liveRows<GuardianData>(db, 'dir_guardians', uai),
      links: liveRows<LinkData>(db, 'dir_links', uai),
      accounts: liveRows<AccountData>(db, 'dir_accounts', uai),
    };
    // Many rows: write them without the list indexes, then build those from the sorted rows.
    const bulk = src.pupils.length + src.guardians.length > BULK_ROWS;
    if (bulk) for (const index of ACCOUNT_LIST_INDEXES) db.exec(`DROP INDEX IF EXISTS ${index.name}`);
    clear(db, uai);
    project(db, uai, src);
    if (bulk) for (const index of ACCOUNT_LIST_INDEXES) db.exec(index.sql);
    db.prepare('DELETE FROM acc_dirty_people WHERE uai = ?').run(uai);
    db.prepare('DELETE FROM acc_dirty WHERE uai = ?').run(uai);
  })();
  // Fresh statistics let the planner pick the index that matches each filter and sort (bounded: a sample per index).
  db.exec('PRAGMA analysis_limit = 1000; ANALYZE acc_index; ANALYZE acc_groups;');
}

/**
 * Recomputes the rows the recorded changes can affect: changed pupils and the pupils of changed guardians; the
 * guardians linked to any of those pupils (families, children's classes); the guardians sharing a duplicate key
 * (old or new) with any of those guardians. Falls back to `rebuild` when that is a large part of the establishment.
 */
export function refresh(db: Database, uai: string): void {
  const seeds = db.prepare('SELECT kind, person_id FROM acc_dirty_people WHERE uai = ?').all(uai) as { kind: string; person_id: string }[];
  const size = db.prepare('SELECT count(*) FROM acc_index WHERE uai = ?').pluck().get(uai) as number;
  if (seeds.length > Math.max(200, size * INCREMENTAL_MAX_SHARE)) {
    rebuild(db, uai);
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
    // Probable duplicates: everyone sharing a key, before or after the change, with a recomputed guardian.
    const keys = new Set(
      db
        .prepare(`SELECT a.dup_key FROM ${IDS} CROSS JOIN acc_index a ON a.kind = 'guardian' AND a.person_id = ids.value WHERE a.dup_key IS NOT NULL`)
        .pluck()
        .all(JSON.stringify([...guardianRows])) as string[],
    );
    for (const g of liveByIds<GuardianData>(db, 'dir_guardians', 'id', uai, guardianRows)) keys.add(dupKey(g.data.lastName, g.data.firstName));
    const twins = db
      .prepare(`SELECT a.person_id FROM ${IDS} CROSS JOIN acc_index a ON a.uai = ? AND a.kind = 'guardian' AND a.dup_key = ids.value`)
      .pluck()
      .all(JSON.stringify([...keys]), uai) as string[];
    for (const id of twins) guardianRows.add(id);

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
    const accounts = liveByIds<AccountData>(db, 'dir_accounts', 'person_id', uai, new Set([...pupilIds, ...guardianIds]));

    deleteRows(db, uai, 'pupil', pupilRows);
    deleteRows(db, uai, 'guardian', guardianRows);
    project(
      db,
      uai,
      {
        pupils: liveByIds<PupilData>(db, 'dir_pupils', 'id', uai, pupilIds),
        guardians: liveByIds<GuardianData>(db, 'dir_guardians', 'id', uai, guardianIds),
        links: [...links.values()].sort((a, b) => a.rowid - b.rowid),
        accounts,
      },
      { pupils: pupilRows, guardians: guardianRows },
    );
    db.prepare('DELETE FROM acc_dirty_people WHERE uai = ?').run(uai);
    db.prepare('DELETE FROM acc_dirty WHERE uai = ?').run(uai);
  })();
}

function deleteRows(db: Database, uai: string, kind: 'pupil' | 'guardian', ids: Set<string>): void {
  if (ids.size === 0) return;
  const rows = `(SELECT a.row_id FROM ${IDS} CROSS JOIN acc_index a ON a.kind = '${kind}' AND a.person_id = ids.value WHERE a.uai = ?)`;
  const params = [JSON.stringify([...ids]), uai];
  db.prepare(`DELETE FROM acc_fts WHERE rowid IN ${rows}`).run(...params);
  db.prepare(`DELETE FROM acc_groups WHERE row_id IN ${rows}`).run(...params);
  db.prepare(`DELETE FROM acc_index WHERE row_id IN ${rows}`).run(...params);
}

/**
 * Writes the rows of `src`'s people (only those of `only` when given; `src` must then hold everything they depend
 * on). Pupils are always listed; guardians when they hold an account or are a legal guardian.
 */
function project(db: Database, uai: string, src: Source, only?: { pupils: Set<string>; guardians: Set<string> }): void {
  const { pupils, guardians, links, accounts } = src;
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

  const insert = db.prepare(
    `INSERT INTO acc_index (uai, kind, person_id, person_version, account_id, account_version, login, state, activated_at,
       last_login_at, last_name, first_name, display_name, sort_name, search, ine, birth_date, mef, division, email,
       email_status, mobile, mobile_status, family, attention, levels, facet_key, dup_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const group = db.prepare(`INSERT OR IGNORE INTO acc_groups (row_id, uai, kind, mef, division, level, facet_key, mef_first, division_first)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const fts = db.prepare('INSERT INTO acc_fts (rowid, search) VALUES (?, ?)');

  for (const p of pupils) {
    if (only && !only.pupils.has(p.id)) continue;
    const d = p.data;
    const account = accountOf.get(`pupil:${p.id}`);
    const a = account?.data;
    const legal = new Set(legalOfPupil.get(p.id) ?? []);
    const family = familyOfGuardians(legal);
    const guardianHasValidEmail = [...legal].some((g) => hasValidEmail(guardianById.get(g)?.data.email));
    const email = a ? a.email : d.email;
    const attention = pupilAttention({ ine: d.ine, email: d.email, accountEmail: a?.email ?? null, guardianHasValidEmail, family });
    const search = foldText([d.lastName, d.usageName, d.firstName, d.firstName2, d.ine, a?.login].filter(Boolean).join(' '));
    const level = mefLevel(d.mef) ?? 'autre';
    const state = (a?.state ?? 'none') as AccountStateValue;
    const emailStatus = contactStatus(email, a?.emailConfirmed);
    const mobileStatus = contactStatus(a?.mobile, a?.mobileConfirmed);
    const levels = levelMask([level]);
    const facet = encodeFacetKey({ state, family, email: emailStatus, mobile: mobileStatus, attention: maskOf(attention), levels });
    const info = insert.run(
      uai, 'pupil', p.id, p.version, account?.id ?? null, account?.version ?? null, a?.login ?? null, state,
      a?.activatedAt ?? null, a?.lastLoginAt ?? null, d.lastName, d.firstName, displayName(d.lastName, d.usageName, d.firstName),
      sortKey(d.usageName || d.lastName, d.firstName), search, d.ine, d.birthDate, d.mef, d.division,
      email ?? null, emailStatus, a?.mobile ?? null, mobileStatus, family, maskOf(attention), levels, facet, null,
    );
    const rowId = Number(info.lastInsertRowid);
    group.run(rowId, uai, 'pupil', d.mef, d.division, level, facet, 1, 1);
    fts.run(rowId, search);
  }

  const legalGuardians = new Set<string>();
  for (const ids of legalOfPupil.values()) for (const id of ids) legalGuardians.add(id);
  const listed = guardians.filter(
    (g) => (!only || only.guardians.has(g.id)) && (legalGuardians.has(g.id) || accountOf.has(`guardian:${g.id}`)),
  );
  const duplicates = probableDuplicates(
    listed.map((g) => ({ id: g.id, lastName: g.data.lastName, firstName: g.data.firstName, birthDate: g.data.birthDate ?? null })),
  );
  for (const g of listed) {
    const d = g.data;
    const account = accountOf.get(`guardian:${g.id}`);
    const a = account?.data;
    const children = [...new Set(childrenOf.get(g.id) ?? [])];
    const familyGuardians = new Set<string>();
    for (const child of children) for (const id of legalOfPupil.get(child) ?? []) familyGuardians.add(id);
    const family = familyOfGuardians(familyGuardians);
    const attention = guardianAttention({
      email: d.email,
      mobile: d.mobile,
      phoneHome: d.phoneHome,
      phoneWork: d.phoneWork,
      isLegal: legalGuardians.has(g.id),
      duplicate: duplicates.has(g.id),
      family,
    });
    const email = a ? a.email : d.email;
    const mobile = a ? a.mobile : d.mobile;
    const search = foldText([d.lastName, d.usageName, d.firstName, a?.login].filter(Boolean).join(' '));
    const childRecords = children.flatMap((c) => pupilById.get(c) ?? []);
    const firstChild = childRecords[0];
    const state = (a?.state ?? 'none') as AccountStateValue;
    const emailStatus = contactStatus(email, a?.emailConfirmed);
    const mobileStatus = contactStatus(mobile, a?.mobileConfirmed);
    const levels = levelMask(childRecords.map((c) => mefLevel(c.data.mef) ?? 'autre'));
    const facet = encodeFacetKey({ state, family, email: emailStatus, mobile: mobileStatus, attention: maskOf(attention), levels });
    const info = insert.run(
      uai, 'guardian', g.id, g.version, account?.id ?? null, account?.version ?? null, a?.login ?? null, state,
      a?.activatedAt ?? null, a?.lastLoginAt ?? null, d.lastName, d.firstName, displayName(d.lastName, d.usageName, d.firstName),
      sortKey(d.usageName || d.lastName, d.firstName), search, null, d.birthDate ?? null, firstChild?.data.mef ?? null,
      firstChild?.data.division ?? null, email ?? null, emailStatus, mobile ?? null, mobileStatus, family, maskOf(attention),
      levels, facet, dupKey(d.lastName, d.firstName),
    );
    const rowId = Number(info.lastInsertRowid);
    const mefs = new Set<string>();
    const divisions = new Set<string>();
    const pairs = new Set<string>();
    for (const c of childRecords) {
      const { mef, division } = c.data;
      if (pairs.has(`${mef}\u0000${division}`)) continue;
      pairs.add(`${mef}\u0000${division}`);
      group.run(rowId, uai, 'guardian', mef, division, mefLevel(mef) ?? 'autre', facet, mefs.has(mef) ? 0 : 1, divisions.has(division) ? 0 : 1);
      mefs.add(mef);
      divisions.add(division);
    }
    fts.run(rowId, search);
  }
}
function clear(db: Database, uai: string): void {
  db.prepare('DELETE FROM acc_fts WHERE rowid IN (SELECT row_id FROM acc_index WHERE uai = ?)').run(uai);
  db.prepare('DELETE FROM acc_groups WHERE uai = ?').run(uai);
  db.prepare('DELETE FROM acc_index WHERE uai = ?').run(uai);
}

/** Guardians with the same key are probable-duplicate candidates (probableDuplicates folds the same way). */
const dupKey = (lastName: string, firstName: string): string => `${foldText(lastName)}|${foldText(firstName)}`;

/** Folded "name first name" so that sorting ignores accents and case. */
const sortKey = (name: string, firstName: string): string => `${foldText(name)}\u0001${foldText(firstName)}`;

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
