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
 * - administration: delegations, establishment settings, rollover, audit trail, imports of the school base (head of
 *   establishment)
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

/** Records whose establishment the core looks up for the dispatcher (a review item, an outbox item…). */
export const SCOPE_RECORDS = ['reviewItem', 'outboxItem', 'delegation', 'job', 'importPreview'] as const;
export type ScopeRecord = (typeof SCOPE_RECORDS)[number];

/**
 * Where a call acts, so that the dispatcher checks `permission` on that establishment — once, for every method; no
 * service checks rights by hand.
 * - `operator`: on no establishment in particular (public methods, the operator's own preferences, lists the service
 *   restricts to `ctx.uais`): the permission must be held on at least one of the operator's establishments;
 * - `input`: the establishment named by the input; when the input names none (an optional filter), every
 *   establishment of the operator on which the permission is held. `kind` turns `accountActions` into the right
 *   the target needs (`pupilAccounts` or `guardianAccounts`); `also` names a second permission the call needs on
 *   the same establishment, derived from the input (letters.issue: `letters`, and the right on the kind of account
 *   whose passwords it renews);
 * - `record`: the establishment(s) of the records the input names, looked up by the core; each must allow it.
 */
export type Scope<In> =
  | { by: 'operator' }
  | {
      by: 'input';
      uai: (input: In) => string | undefined;
      kind?: (input: In) => 'pupil' | 'guardian';
      also?: (input: In) => Permission;
    }
  | { by: 'record'; record: ScopeRecord; ids: (input: In) => readonly (string | number)[] };

export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  /** One line for docs/api.md. */
  summary: string;
  permission: Permission;
  scope: Scope<z.output<I>>;
  /** Mutations are audited and, when they change directory data, go through the outbox. */
  mutation: boolean;
  /** Audited although not a mutation: exports of personal data. */
  audited?: boolean;
  input: I;
  output: O;
}

export const method = <I extends z.ZodType, O extends z.ZodType>(spec: MethodSpec<I, O>): MethodSpec<I, O> => spec;

/** The usual scopes, named. */
export const byOperator = { by: 'operator' } as const;
export const byUai = <In extends { uai?: string }>(): Scope<In> => ({ by: 'input', uai: (input) => input.uai });
export const byAccountKind = <In extends { uai: string; kind: 'pupil' | 'guardian' }>(): Scope<In> => ({
  by: 'input',
  uai: (input) => input.uai,
  kind: (input) => input.kind,
});
/** The input names the establishment, and the call also needs the right on the kind of account it acts on. */
export const byUaiWithAccountRight = <In extends { uai: string; kind: 'pupil' | 'guardian' }>(): Scope<In> => ({
  by: 'input',
  uai: (input) => input.uai,
  also: (input) => (input.kind === 'pupil' ? 'pupilAccounts' : 'guardianAccounts'),
});
export const byRecord = <In,>(record: ScopeRecord, ids: (input: In) => readonly (string | number)[]): Scope<In> => ({ by: 'record', record, ids });

export const NoInput = z.object({}).strict();

export const IsoDate = z.iso.date('Date invalide : format AAAA-MM-JJ attendu.');

export const Uai = z.string().regex(/^\d{7}[A-Z]$/, 'UAI invalide : 7 chiffres et une lettre (ex. 0750654D).');
