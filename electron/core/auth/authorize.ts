/**
 * Who holds what. Every contract method declares the permission it needs and where it acts (shared/api/spec.ts); the
 * dispatcher checks the permission on each establishment the call acts on with `governedAccess`. Rules:
 * - nobody signed in (or a locked session): only `public`;
 * - chef: everything on their establishments;
 * - secrétariat: read, statistics, exports;
 * - délégué: read, plus the rights of their active delegation for that establishment (never administration).
 */
import type { Permission, Role } from '../../../shared/api/contract';
import type { Access, Operator } from '../dispatcher';

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

/**
 * The dispatcher's rules: the roles and delegations above, a locked session refusing all but public methods, and each
 * allowed non-public call counted as the operator's activity.
 */
export function governedAccess(isLocked: () => boolean, noteActivity: () => void): Access {
  return { isLocked, permissionsOn, noteActivity };
}
