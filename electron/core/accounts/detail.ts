/**
 * The account detail, read straight from the mirror (so it is exact even before the projection is rebuilt), with the
 * school record beside it when the school-records capability has one, the family, pending actions and history.
 */
import type { Database } from 'better-sqlite3';
import type { AccountDetail } from '../../../shared/api/methods/accounts';
import {
  attentionFromMask,
  RELATIONSHIP_LABELS,
  RESPONSIBILITY_LABELS,
  type AccountKind,
  type AccountStateValue,
} from '../../../shared/domain/accounts';
import type { AccountData, GuardianData, LinkData, PupilData } from '../../../shared/directory/wire';
import { displayName } from '../../../shared/domain/accounts';
import { accountsCoreStrings as s } from './strings';

export interface AccountRecord {
  id: string;
  version: number;
  data: AccountData;
}

interface Raw {
  id: string;
  version: number;
  data: string;
}

const tableExists = (db: Database, name: string): boolean =>
  db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;

export function loadDetail(db: Database, kind: AccountKind, uai: string, id: string): AccountDetail | null {
  const table = kind === 'pupil' ? 'dir_pupils' : 'dir_guardians';
  const person = db.prepare(`SELECT id, version, data FROM ${table} WHERE id = ? AND uai = ? AND deleted = 0`).get(id, uai) as Raw | undefined;
  if (!person) return null;
  const accountRow = db
    .prepare('SELECT id, version, data FROM dir_accounts WHERE uai = ? AND person_kind = ? AND person_id = ? AND deleted = 0 ORDER BY version DESC LIMIT 1')
    .get(uai, kind, id) as Raw | undefined;
  const account = accountRow ? { id: accountRow.id, version: accountRow.version, data: JSON.parse(accountRow.data) as AccountData } : null;

  const stateOf = (personKind: AccountKind, personId: string): AccountStateValue =>
    ((db
      .prepare('SELECT state FROM dir_accounts WHERE uai = ? AND person_kind = ? AND person_id = ? AND deleted = 0 ORDER BY version DESC LIMIT 1')
      .pluck()
      .get(uai, personKind, personId) as AccountStateValue | undefined) ?? 'none');
  const linksWhere = (column: 'pupil_id' | 'guardian_id', value: string) =>
    (db.prepare(`SELECT id, version, data FROM dir_links WHERE uai = ? AND ${column} = ? AND deleted = 0`).all(uai, value) as Raw[]).map(
      (r) => ({ id: r.id, version: r.version, data: JSON.parse(r.data) as LinkData }),
    );
  const guardianOf = (gid: string) => {
    const raw = db.prepare('SELECT data FROM dir_guardians WHERE id = ? AND deleted = 0').pluck().get(gid) as string | undefined;
    return raw ? (JSON.parse(raw) as GuardianData) : null;
  };
  const pupilOf = (pid: string) => {
    const raw = db.prepare('SELECT data FROM dir_pupils WHERE id = ? AND deleted = 0').pluck().get(pid) as string | undefined;
    return raw ? (JSON.parse(raw) as PupilData) : null;
  };
  const guardianEntry = (l: { id: string; version: number; data: LinkData }) => {
    const g = guardianOf(l.data.guardianId);
    return {
      id: l.data.guardianId,
      linkId: l.id,
      linkVersion: l.version,
      pupilId: l.data.pupilId,
      displayName: g ? displayName(g.lastName, g.usageName, g.firstName) : l.data.guardianId,
      level: l.data.level,
      levelLabel: RESPONSIBILITY_LABELS[l.data.level] ?? String(l.data.level),
      relationship: l.data.relationship,
      relationshipLabel: RELATIONSHIP_LABELS[l.data.relationship] ?? l.data.relationship,
      state: stateOf('guardian', l.data.guardianId),
    };
  };

  const family: AccountDetail['family'] = { guardians: [], pupils: [] };
  if (kind === 'pupil') {
    const own = linksWhere('pupil_id', id);
    family.guardians = own.map(guardianEntry).sort((a, b) => a.level - b.level || a.displayName.localeCompare(b.displayName));
    const siblings = new Set<string>();
    for (const l of own) {
      if (l.data.level !== 1) continue;
      for (const other of linksWhere('guardian_id', l.data.guardianId)) if (other.data.pupilId !== id) siblings.add(other.data.pupilId);
    }
    family.pupils = [...siblings].flatMap((pid) => {
      const p = pupilOf(pid);
      return p
        ? [{ id: pid, displayName: displayName(p.lastName, p.usageName, p.firstName), division: p.division, state: stateOf('pupil', pid), linkId: null, linkVersion: null, level: null, relationshipLabel: null }]
        : [];
    });
  } else {
    const own = linksWhere('guardian_id', id);
    family.pupils = own.flatMap((l) => {
      const p = pupilOf(l.data.pupilId);
      return p
        ? [{
            id: l.data.pupilId,
            displayName: displayName(p.lastName, p.usageName, p.firstName),
            division: p.division,
            state: stateOf('pupil', l.data.pupilId),
            linkId: l.id,
            linkVersion: l.version,
            level: l.data.level,
            relationshipLabel: RELATIONSHIP_LABELS[l.data.relationship] ?? l.data.relationship,
          }]
        : [];
    });
    // Children attached by this app whose link the directory has not confirmed yet: listed at once, marked pending.
    const queued = db
      .prepare(
        `SELECT target_id, payload FROM outbox WHERE uai = ? AND kind = 'link.create' AND state IN ('pending', 'in_flight')
           AND json_extract(payload, '$.guardianId') = ? ORDER BY id`,
      )
      .all(uai, id) as { target_id: string; payload: string }[];
    for (const q of queued) {
      const link = JSON.parse(q.payload) as Pick<LinkData, 'pupilId' | 'level' | 'relationship'>;
      const p = pupilOf(link.pupilId);
      if (!p || family.pupils.some((c) => c.linkId === q.target_id)) continue;
      family.pupils.push({
        id: link.pupilId,
        displayName: displayName(p.lastName, p.usageName, p.firstName),
        division: p.division,
        state: stateOf('pupil', link.pupilId),
        linkId: q.target_id,
        linkVersion: null,
        level: link.level,
        relationshipLabel: RELATIONSHIP_LABELS[link.relationship] ?? link.relationship,
      });
    }
    const others = new Map<string, ReturnType<typeof guardianEntry>>();
    for (const l of own) {
      for (const other of linksWhere('pupil_id', l.data.pupilId)) {
        if (other.data.guardianId !== id && !others.has(other.data.guardianId)) others.set(other.data.guardianId, guardianEntry(other));
      }
    }
    family.guardians = [...others.values()];
  }

  const targets: [string, string][] = [];
  if (account) targets.push(['account', account.id]);
  for (const p of family.pupils) if (p.linkId) targets.push(['link', p.linkId]);
  if (kind === 'pupil') for (const g of family.guardians) targets.push(['link', g.linkId]);
  const outbox = targets.length
    ? (db
        .prepare(
          `SELECT id, kind, target_type, target_id, state, last_error, created_at, updated_at, result FROM outbox
           WHERE (target_type, target_id) IN (VALUES ${targets.map(() => '(?, ?)').join(', ')}) ORDER BY id DESC LIMIT 100`,
        )
        .all(...targets.flat()) as {
        id: number;
        kind: string;
        target_type: string;
        target_id: string;
        state: AccountDetail['pending'][number]['state'];
        last_error: string | null;
        created_at: string;
        updated_at: string;
        result: string | null;
      }[])
    : [];
  const pending = outbox
    .filter((o) => o.state !== 'done')
    .map((o) => ({
      outboxId: o.id,
      kind: o.kind,
      targetType: o.target_type,
      targetId: o.target_id,
      state: o.state,
      lastError: o.last_error,
      createdAt: o.created_at,
      current: o.state === 'conflict' && o.result ? (JSON.parse(o.result) as unknown) : null,
    }));

  const history: AccountDetail['history'] = [];
  const actions = db
    .prepare('SELECT action, operator, reason, outcome, message, at, outbox_id FROM acc_actions WHERE person_kind = ? AND person_id = ? ORDER BY id DESC LIMIT 100')
    .all(kind, id) as { action: string; operator: string | null; reason: string | null; outcome: string; message: string | null; at: string; outbox_id: number | null }[];
  const outboxState = new Map(outbox.map((o) => [o.id, o.state]));
  for (const a of actions) {
    const state = a.outbox_id !== null ? outboxState.get(a.outbox_id) : undefined;
    history.push({
      at: a.at,
      source: 'action',
      label: s.actionLabels[a.action] ?? a.action,
      operator: a.operator,
      reason: a.reason,
      outcome: state ? s.outboxStates[state] ?? state : a.outcome === 'done' ? s.outboxStates.done! : a.outcome,
    });
  }
  if (tableExists(db, 'audit_log') && account) {
    const audit = db
      .prepare(
        `SELECT at, operator, method, reason, outcome FROM audit_log WHERE uai = ? AND target_id IN (?, ?) ORDER BY id DESC LIMIT 100`,
      )
      .all(uai, account.id, id) as { at: string; operator: string | null; method: string; reason: string | null; outcome: string }[];
    for (const e of audit) history.push({ at: e.at, source: 'audit', label: e.method, operator: e.operator, reason: e.reason, outcome: e.outcome });
  }
  history.sort((a, b) => b.at.localeCompare(a.at));

  let schoolRecord: Record<string, unknown> | null = null;
  if (tableExists(db, 'school_records')) {
    const raw = db.prepare('SELECT data FROM school_records WHERE person_kind = ? AND person_id = ?').pluck().get(kind, id) as string | undefined;
    schoolRecord = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
  }

  const letters = account
    ? (db.prepare("SELECT count(*) FROM acc_actions WHERE person_kind = ? AND person_id = ? AND action = 'account.resetPassword' AND outcome = 'done'").pluck().get(kind, id) as number)
    : 0;
  const mask = (db.prepare('SELECT attention FROM acc_index WHERE kind = ? AND person_id = ?').pluck().get(kind, id) as number | undefined) ?? 0;
  const a = account?.data;
  return {
    kind,
    id,
    uai,
    directoryRecord: { version: person.version, data: JSON.parse(person.data) as Record<string, unknown> },
    schoolRecord,
    account:
      account && a
        ? {
            id: account.id,
            version: account.version,
            login: a.login,
            state: a.state,
            notifiedAt: a.notifiedAt ?? null,
            letterExpiresAt: a.letterExpiresAt ?? null,
            activatedAt: a.activatedAt ?? null,
            activationMethod: a.activationMethod ?? null,
            lastLoginAt: a.lastLoginAt ?? null,
            lockedUntil: a.lockedUntil ?? null,
            email: a.email ?? null,
            emailConfirmed: Boolean(a.emailConfirmed),
            mobile: a.mobile ?? null,
            mobileConfirmed: Boolean(a.mobileConfirmed),
            // A notified account has had at least one letter, even one sent before this app was used.
            lettersSent: Math.max(letters, a.notifiedAt ? 1 : 0),
          }
        : null,
    family,
    attention: attentionFromMask(mask),
    pending,
    history,
  };
}
