/**
 * Who may call what. Every contract method declares the permission it needs (shared/api/spec.ts); the dispatcher asks
 * the authorizer before running it, and services call `assertPermission` for finer checks (the target's
 * establishment, pupil vs guardian account). Rules:
 * - nobody signed in (or a locked session): only `public`;
 * - chef: everything on their establishments;
 * - secrétariat: read, statistics, exports;
 * - délégué: read, plus the rights of their active delegation for that establishment (never administration).
 */
import type { Permission, Role } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { Authorizer, CallContext, Operator } from '../dispatcher';
import { authStrings } from './strings';

/** What the role alone grants on each of the operator's establishments. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  chef: ['read', 'pupilAccounts', 'guardianAccounts', 'letters', 'statistics', 'exports', 'identityDecisions', 'administration'],
  delegue: ['read'],
  secretariat: ['read', 'statistics', 'exports'],
};

/**
 * The signed-in operator as the core hands it to handlers (`ctx.operator`): the directory's identity plus the
 * delegated rights per establishment, computed at each call so an expired delegation stops working at once, offline too.
 */
export interface GovernedOperator extends Operator {
  displayName: string;
  /** Delegated rights per UAI (délégués only; empty for the other roles). */
  delegated: Record<string, readonly Permission[]>;
}

function isGoverned(operator: Operator): operator is GovernedOperator {
  return typeof (operator as Partial<GovernedOperator>).delegated === 'object';
}

/** The permissions an operator holds on one establishment (none outside their perimeter). */
export function permissionsOn(operator: Operator, uai: string): Set<Permission> {
  const granted = new Set<Permission>(['public']);
  if (!operator.uais.includes(uai)) return granted;
  for (const p of ROLE_PERMISSIONS[operator.role]) granted.add(p);
  if (operator.role === 'delegue' && isGoverned(operator)) {
    for (const p of operator.delegated[uai] ?? []) if (p !== 'administration') granted.add(p);
  }
  return withDerived(granted);
}

const WRITE_RIGHTS: readonly Permission[] = ['pupilAccounts', 'guardianAccounts', 'letters', 'identityDecisions', 'administration'];

/** The umbrella permissions follow from the concrete rights; they are never granted on their own. */
function withDerived(granted: Set<Permission>): Set<Permission> {
  if (granted.has('pupilAccounts') || granted.has('guardianAccounts')) granted.add('accountActions');
  if (WRITE_RIGHTS.some((p) => granted.has(p))) granted.add('write');
  return granted;
}

/** The permissions an operator holds on at least one of their establishments. */
export function permissionsAnywhere(operator: Operator): Set<Permission> {
  const granted = new Set<Permission>(['public', ...ROLE_PERMISSIONS[operator.role]]);
  for (const uai of operator.uais) for (const p of permissionsOn(operator, uai)) granted.add(p);
  return withDerived(granted);
}

/**
 * Throws UNAUTHORIZED (nobody signed in) or FORBIDDEN unless the caller holds `permission` — on `uai` when given
 * (which must then be one of the operator's establishments), else on at least one of their establishments.
 */
export function assertPermission(ctx: Pick<CallContext, 'operator'>, permission: Permission, uai?: string): void {
  if (permission === 'public' && uai === undefined) return;
  const operator = ctx.operator;
  if (!operator) throw new ApiError('UNAUTHORIZED', authStrings.notSignedIn);
  if (uai !== undefined && !operator.uais.includes(uai)) {
    throw new ApiError('FORBIDDEN', authStrings.forbiddenUai(uai), { uai });
  }
  const granted = uai === undefined ? permissionsAnywhere(operator) : permissionsOn(operator, uai);
  if (!granted.has(permission)) throw new ApiError('FORBIDDEN', authStrings.forbidden(permission), { permission, uai });
}

/** Throws FORBIDDEN unless the establishment is one of the signed-in operator's. */
export function assertUai(ctx: Pick<CallContext, 'operator'>, uai: string): void {
  assertPermission(ctx, 'read', uai);
}

/**
 * The dispatcher's authorizer. `isLocked` reports a locked session: a call from behind the lock screen gets
 * UNAUTHORIZED with the lock message (and the core hands no operator to handlers meanwhile).
 */
export function createAuthorizer(isLocked: () => boolean = () => false): Authorizer {
  return (_method, spec, ctx) => {
    if (spec.permission === 'public') return;
    if (isLocked()) throw new ApiError('UNAUTHORIZED', authStrings.locked, { locked: true });
    assertPermission(ctx, spec.permission);
  };
}
