/**
 * The building blocks of the contract: a method's spec and the permission it needs. Each capability declares its
 * methods in shared/api/methods/<capability>.ts; contract.ts gathers them.
 */
import { z } from 'zod';
import './zod-locale';

export type Role = 'chef' | 'delegue' | 'secretariat';

/**
 * What a method requires of the caller; the core's authorizer maps roles and delegations onto these.
 * - public: no sign-in (status, sign-in itself)
 * - read: any signed-in operator of the establishment (search, view, sync)
 * - pupilAccounts / guardianAccounts: act on those accounts (unlock, reset, link, contact edits)
 * - accountActions: an action whose target may be either kind: held with pupilAccounts or guardianAccounts; the
 *   service then checks the one the target needs
 * - write: any right to change data (resend or abandon one's pending changes)
 * - letters: print credential letters
 * - statistics: activation statistics and their exports
 * - exports: export lists to files
 * - identityDecisions: decide identity changes
 * - administration: delegations, establishment settings, rollover, audit trail (head of establishment)
 */
export const PERMISSIONS = [
  'public',
  'read',
  'pupilAccounts',
  'guardianAccounts',
  'accountActions',
  'write',
  'letters',
  'statistics',
  'exports',
  'identityDecisions',
  'administration',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** One line for docs/api.md. */
  summary: string;
  permission: Permission;
  /** Mutations are audited and, when they change directory data, go through the outbox. */
  mutation: boolean;
  input: I;
  output: O;
}

export const method = <I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> => spec;

export const NoInput = z.object({}).strict();

export const Uai = z.string().regex(/^\d{7}[A-Z]$/, 'UAI invalide : 7 chiffres et une lettre (ex. 0750654D).');
