/**
 * Delegations (DelegCE): a head of establishment grants named rights to a named délégué until an end date. Kept in
 * this workstation's database; active = not revoked and ends_on (inclusive) not past, evaluated at every call, so an
 * expired delegation stops working offline too.
 */
import type { Database } from 'better-sqlite3';
import type { DelegableRight, Delegation, Permission } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { addDays, endOfSchoolYear } from './dates';
import { governanceStrings as s } from './strings';

interface DelegationRow {
  id: number;
  uai: string;
  login: string;
  rights: string;
  ends_on: string;
  granted_by: string;
  granted_at: string;
  note: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  revoke_reason: string | null;
  display_name: string | null;
}

const SELECT = `SELECT d.*, k.display_name FROM delegations d LEFT JOIN known_operators k ON k.login = d.login`;

function toDelegation(row: DelegationRow, today: string): Delegation {
  return {
    id: row.id,
    uai: row.uai,
    login: row.login,
    displayName: row.display_name,
    rights: JSON.parse(row.rights) as DelegableRight[],
    endsOn: row.ends_on,
    grantedBy: row.granted_by,
    grantedAt: row.granted_at,
    note: row.note,
    revokedAt: row.revoked_at,
    revokedBy: row.revoked_by,
    revokeReason: row.revoke_reason,
    status: row.revoked_at ? 'revoked' : row.ends_on < today ? 'expired' : 'active',
  };
}

/** The rights delegated to `login`, per establishment, on `today`. */
export function activeRights(db: Database, login: string, today: string): Record<string, Permission[]> {
  const rows = db
    .prepare('SELECT uai, rights FROM delegations WHERE login = ? AND revoked_at IS NULL AND ends_on >= ?')
    .all(login, today) as { uai: string; rights: string }[];
  const out: Record<string, Permission[]> = {};
  for (const row of rows) out[row.uai] = [...new Set([...(out[row.uai] ?? []), ...(JSON.parse(row.rights) as Permission[])])];
  return out;
}

export function getDelegation(db: Database, id: number, today: string): Delegation {
  const row = db.prepare(`${SELECT} WHERE d.id = ?`).get(id) as DelegationRow | undefined;
  if (!row) throw new ApiError('NOT_FOUND', s.delegationNotFound(id), { id });
  return toDelegation(row, today);
}

/** Active ones first, then the history, newest first. */
export function listDelegations(db: Database, uai: string, today: string): Delegation[] {
  const rows = db.prepare(`${SELECT} WHERE d.uai = ? ORDER BY d.id DESC`).all(uai) as DelegationRow[];
  const items = rows.map((r) => toDelegation(r, today));
  return [...items.filter((d) => d.status === 'active'), ...items.filter((d) => d.status !== 'active')];
}

export interface GrantInput {
  uai: string;
  login: string;
  rights: DelegableRight[];
  endsOn?: string;
  note?: string;
  grantedBy: string;
}

/** Grants, ending the délégué's active delegation on that establishment (one active delegation per person). */
export function grantDelegation(db: Database, input: GrantInput, now: Date, today: string): { granted: Delegation; replaced: Delegation[] } {
  const endsOn = input.endsOn ?? endOfSchoolYear(today);
  if (endsOn < today) throw new ApiError('INVALID_INPUT', s.endsOnPast, { field: 'endsOn' });
  if (endsOn > addDays(today, 366)) throw new ApiError('INVALID_INPUT', s.endsOnTooFar, { field: 'endsOn' });
  const known = db.prepare('SELECT role FROM known_operators WHERE login = ?').pluck().get(input.login) as string | undefined;
  if (known && known !== 'delegue') throw new ApiError('INVALID_INPUT', s.notADelegate(input.login, known), { field: 'login' });
  return db.transaction(() => {
    const previous = db
      .prepare(`${SELECT} WHERE d.uai = ? AND d.login = ? AND d.revoked_at IS NULL AND d.ends_on >= ?`)
      .all(input.uai, input.login, today) as DelegationRow[];
    const at = now.toISOString();
    for (const row of previous) {
      db.prepare('UPDATE delegations SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ?').run(at, input.grantedBy, s.replaced, row.id);
    }
    const id = Number(
      db
        .prepare(
          `INSERT INTO delegations (uai, login, rights, ends_on, granted_by, granted_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(input.uai, input.login, JSON.stringify([...new Set(input.rights)]), endsOn, input.grantedBy, at, input.note ?? null)
        .lastInsertRowid,
    );
    return { granted: getDelegation(db, id, today), replaced: previous.map((r) => toDelegation(r, today)) };
  })();
}

export function revokeDelegation(db: Database, id: number, by: string, reason: string | null, now: Date, today: string): Delegation {
  const current = getDelegation(db, id, today);
  if (current.status === 'revoked') throw new ApiError('CONFLICT', s.delegationAlreadyEnded, { id });
  db.prepare('UPDATE delegations SET revoked_at = ?, revoked_by = ?, revoke_reason = ? WHERE id = ?').run(now.toISOString(), by, reason, id);
  return getDelegation(db, id, today);
}
