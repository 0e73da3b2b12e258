/**
 * Rebuilds one establishment's account projection (acc_index, acc_groups, acc_fts) from the directory mirror. The
 * mirror's triggers mark an establishment in acc_dirty whenever one of its people, links or accounts changes; reads
 * call `ensureFresh` first, which rebuilds only marked establishments, in one transaction.
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
  type AttentionKey,
  type FamilyStatus,
} from '../../../shared/domain/accounts';
import { mefLevel } from '../../../shared/domain/identifiers';
import type { AccountData, GuardianData, LinkData, PupilData } from '../../../shared/directory/wire';

interface Live<T> {
  id: string;
  version: number;
  data: T;
}

function liveRows<T>(db: Database, table: string, uai: string): Live<T>[] {
  return (db.prepare(`SELECT id, version, data FROM ${table} WHERE uai = ? AND deleted = 0`).all(uai) as {
    id: string;
    version: number;
    data: string;
  }[]).map((r) => ({ id: r.id, version: r.version, data: JSON.parse(r.data) as T }));
}

const maskOf = (keys: AttentionKey[]): number => keys.reduce((m, k) => m | attentionBit(k), 0);

export const displayName = (lastName: string, usageName: string | null | undefined, firstName: string): string =>
  `${(usageName || lastName).toUpperCase()} ${firstName}`;

/** Rebuilds the projection of every marked establishment. Cheap when nothing is marked (one indexed lookup). */
export function ensureFresh(db: Database, uai?: string): void {
  const marked = (uai === undefined
    ? db.prepare('SELECT uai FROM acc_dirty').pluck().all()
    : db.prepare('SELECT uai FROM acc_dirty WHERE uai = ?').pluck().all(uai)) as string[];
  for (const u of marked) rebuild(db, u);
}

export function rebuild(db: Database, uai: string): void {
  db.transaction(() => {
    const pupils = liveRows<PupilData>(db, 'dir_pupils', uai);
    const guardians = liveRows<GuardianData>(db, 'dir_guardians', uai);
    const links = liveRows<LinkData>(db, 'dir_links', uai);
    const accounts = liveRows<AccountData>(db, 'dir_accounts', uai);

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

    clear(db, uai);
    const insert = db.prepare(
      `INSERT INTO acc_index (uai, kind, person_id, person_version, account_id, account_version, login, state, activated_at,
         last_login_at, last_name, first_name, display_name, sort_name, search, ine, birth_date, mef, division, email,
         email_status, mobile, mobile_status, family, attention)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const group = db.prepare('INSERT OR IGNORE INTO acc_groups (row_id, uai, kind, mef, division, level) VALUES (?, ?, ?, ?, ?, ?)');
    const fts = db.prepare('INSERT INTO acc_fts (rowid, search) VALUES (?, ?)');

    for (const p of pupils) {
      const d = p.data;
      const account = accountOf.get(`pupil:${p.id}`);
      const a = account?.data;
      const legal = new Set(legalOfPupil.get(p.id) ?? []);
      const family = familyOfGuardians(legal);
      const guardianHasValidEmail = [...legal].some((g) => hasValidEmail(guardianById.get(g)?.data.email));
      const email = a ? a.email : d.email;
      const attention = pupilAttention({ ine: d.ine, email: d.email, accountEmail: a?.email ?? null, guardianHasValidEmail, family });
      const search = foldText([d.lastName, d.usageName, d.firstName, d.firstName2, d.ine, a?.login].filter(Boolean).join(' '));
      const info = insert.run(
        uai, 'pupil', p.id, p.version, account?.id ?? null, account?.version ?? null, a?.login ?? null, a?.state ?? 'none',
        a?.activatedAt ?? null, a?.lastLoginAt ?? null, d.lastName, d.firstName, displayName(d.lastName, d.usageName, d.firstName),
        sortKey(d.usageName || d.lastName, d.firstName), search, d.ine, d.birthDate, d.mef, d.division,
        email ?? null, contactStatus(email, a?.emailConfirmed), a?.mobile ?? null, contactStatus(a?.mobile, a?.mobileConfirmed),
        family, maskOf(attention),
      );
      const rowId = Number(info.lastInsertRowid);
      group.run(rowId, uai, 'pupil', d.mef, d.division, mefLevel(d.mef) ?? 'autre');
      fts.run(rowId, search);
    }

    const legalGuardians = new Set<string>();
    for (const ids of legalOfPupil.values()) for (const id of ids) legalGuardians.add(id);
    const listed = guardians.filter((g) => legalGuardians.has(g.id) || accountOf.has(`guardian:${g.id}`));
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
      const firstChild = children.map((c) => pupilById.get(c)).find(Boolean);
      const info = insert.run(
        uai, 'guardian', g.id, g.version, account?.id ?? null, account?.version ?? null, a?.login ?? null, a?.state ?? 'none',
        a?.activatedAt ?? null, a?.lastLoginAt ?? null, d.lastName, d.firstName, displayName(d.lastName, d.usageName, d.firstName),
        sortKey(d.usageName || d.lastName, d.firstName), search, null, d.birthDate ?? null, firstChild?.data.mef ?? null,
        firstChild?.data.division ?? null, email ?? null, contactStatus(email, a?.emailConfirmed), mobile ?? null,
        contactStatus(mobile, a?.mobileConfirmed), family, maskOf(attention),
      );
      const rowId = Number(info.lastInsertRowid);
      for (const child of children) {
        const c = pupilById.get(child);
        if (c) group.run(rowId, uai, 'guardian', c.data.mef, c.data.division, mefLevel(c.data.mef) ?? 'autre');
      }
      fts.run(rowId, search);
    }
    db.prepare('DELETE FROM acc_dirty WHERE uai = ?').run(uai);
  })();
  // Fresh statistics let the planner pick the index that matches each filter and sort (bounded: a sample per index).
  db.exec('PRAGMA analysis_limit = 1000; ANALYZE acc_index; ANALYZE acc_groups;');
}

function clear(db: Database, uai: string): void {
  db.prepare('DELETE FROM acc_fts WHERE rowid IN (SELECT row_id FROM acc_index WHERE uai = ?)').run(uai);
  db.prepare('DELETE FROM acc_groups WHERE uai = ?').run(uai);
  db.prepare('DELETE FROM acc_index WHERE uai = ?').run(uai);
}

/** Folded "name first name" so that sorting ignores accents and case. */
const sortKey = (name: string, firstName: string): string => `${foldText(name)}\u0001${foldText(firstName)}`;

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
