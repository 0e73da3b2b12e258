/** auth.*, establishments.*, sync.*, outbox.*: the link with the national directory. */
import { z } from 'zod';
import { method, NoInput, Uai, type MethodSpec } from '../spec';

const RoleSchema = z.enum(['chef', 'delegue', 'secretariat']);

export const SessionOperator = z.object({
  login: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  uais: z.array(z.string()),
});
export type SessionOperator = z.infer<typeof SessionOperator>;

export const AuthStatus = z.object({
  signedIn: z.boolean(),
  operator: SessionOperator.nullable(),
  /** The directory in use: `demo` or its base URL. */
  directory: z.string(),
  online: z.boolean().nullable(),
  /**
   * Signed in but locked (inactivity, the app restarted, or the directory session expired): only public methods answer
   * until unlocked.
   */
  locked: z.boolean().optional(),
  lockReason: z.enum(['inactivity', 'restart', 'expired']).nullable().optional(),
  /** `offline`: signed in against this workstation's verifier while the directory was unreachable. */
  mode: z.enum(['online', 'offline']).nullable().optional(),
  /** Minutes without activity before the window locks (workstation setting). */
  inactivityMinutes: z.number().int().positive().optional(),
});
export type AuthStatus = z.infer<typeof AuthStatus>;

export const EstablishmentItem = z.object({
  uai: z.string(),
  name: z.string(),
  kind: z.enum(['ecole', 'college', 'lycee', 'autre']),
  isPrivate: z.boolean(),
  city: z.string().nullable(),
  academy: z.string().nullable(),
});
export type EstablishmentItem = z.infer<typeof EstablishmentItem>;

/** Live (non-deleted) rows per record type. */
export const RecordCounts = z.object({
  pupil: z.number().int().nonnegative(),
  guardian: z.number().int().nonnegative(),
  link: z.number().int().nonnegative(),
  account: z.number().int().nonnegative(),
  identityChange: z.number().int().nonnegative(),
  settings: z.number().int().nonnegative(),
});
export type RecordCounts = z.infer<typeof RecordCounts>;

export const SyncError = z.object({ code: z.string(), message: z.string() });

export const SyncRunSummary = z.object({
  uai: z.string(),
  runId: z.number().int(),
  outcome: z.enum(['success', 'error', 'interrupted']),
  mode: z.enum(['delta', 'snapshot', 'resync']),
  recordsApplied: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  startedAt: z.string(),
  endedAt: z.string(),
  error: SyncError.nullable(),
  /** Local counts against the directory's after the run; `match` null when the directory gave no totals. */
  totals: z
    .object({
      local: RecordCounts,
      directory: RecordCounts.nullable(),
      match: z.boolean().nullable(),
      checkedAt: z.string(),
    })
    .nullable(),
  repaired: z.boolean(),
});
export type SyncRunSummary = z.infer<typeof SyncRunSummary>;

export const SyncRunResult = z.object({
  outbox: z.object({ sent: z.number().int(), failed: z.number().int(), conflicts: z.number().int(), pending: z.number().int() }),
  runs: z.array(SyncRunSummary),
});
export type SyncRunResult = z.infer<typeof SyncRunResult>;

export const SyncHistoryItem = z.object({
  id: z.number().int(),
  uai: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  outcome: z.enum(['running', 'success', 'error', 'interrupted']),
  mode: z.enum(['delta', 'snapshot', 'resync']),
  recordsApplied: z.number().int().nonnegative(),
  pages: z.number().int().nonnegative(),
  error: SyncError.nullable(),
  notes: z.string().nullable(),
});
export type SyncHistoryItem = z.infer<typeof SyncHistoryItem>;

export const SyncEstablishmentStatus = z.object({
  uai: z.string(),
  name: z.string().nullable(),
  state: z.enum(['idle', 'running', 'error', 'offline']),
  phase: z.enum(['snapshot', 'changes', 'resync', 'check']).nullable(),
  hasCursor: z.boolean(),
  snapshotInProgress: z.boolean(),
  lastSuccessAt: z.string().nullable(),
  lastError: SyncError.nullable(),
  counts: z.object({
    local: RecordCounts,
    directory: RecordCounts.nullable(),
    match: z.boolean().nullable(),
    checkedAt: z.string().nullable(),
  }),
  outbox: z.object({ pending: z.number().int(), failed: z.number().int(), conflict: z.number().int() }),
});
export type SyncEstablishmentStatus = z.infer<typeof SyncEstablishmentStatus>;

export const SyncStatus = z.object({
  signedIn: z.boolean(),
  online: z.boolean().nullable(),
  intervalMinutes: z.number().int().positive(),
  nextRunAt: z.string().nullable(),
  establishments: z.array(SyncEstablishmentStatus),
  history: z.array(SyncHistoryItem),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const OutboxState = z.enum(['pending', 'in_flight', 'done', 'failed', 'conflict']);

export const OutboxItem = z.object({
  id: z.number().int(),
  uai: z.string(),
  kind: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  ifMatch: z.number().int().nullable(),
  payload: z.unknown(),
  state: OutboxState,
  attempts: z.number().int().nonnegative(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** `done`: the confirmed record; `conflict`: the directory's current record. */
  result: z.unknown().nullable(),
});
export type OutboxItem = z.infer<typeof OutboxItem>;

const OutboxId = z.object({ id: z.number().int().positive() }).strict();

export const directoryMethods = {
  'auth.signIn': method({
    permission: 'public',
    summary: 'Signs in to the directory (POST /v1/auth/token); tokens stay in memory. Starts the scheduled sync.',
    mutation: false,
    input: z.object({ login: z.string().trim().min(1, 'Identifiant obligatoire.'), password: z.string().min(1, 'Mot de passe obligatoire.') }).strict(),
    output: SessionOperator,
  }),
  'auth.signOut': method({
    permission: 'public',
    summary: 'Forgets the directory session and stops the scheduled sync; the local mirror stays.',
    mutation: false,
    input: NoInput,
    output: z.object({ signedIn: z.literal(false) }),
  }),
  'auth.status': method({
    permission: 'public',
    summary: 'Whether an operator is signed in, who, and whether the directory is reachable.',
    mutation: false,
    input: NoInput,
    output: AuthStatus,
  }),
  'establishments.list': method({
    permission: 'read',
    summary: "The establishments held by the mirror (the signed-in operator's, refreshed at sign-in).",
    mutation: false,
    input: NoInput,
    output: z.array(EstablishmentItem),
  }),
  'sync.run': method({
    permission: 'read',
    summary: "Sends pending outbox items, then syncs one establishment (or all the operator's); resolves with the summary.",
    mutation: false,
    input: z.object({ uai: Uai.optional() }).strict(),
    output: SyncRunResult,
  }),
  'sync.status': method({
    permission: 'read',
    summary: 'Per establishment: state, cursor, last success and error, local vs directory counts, outbox; run history.',
    mutation: false,
    input: z.object({ historyLimit: z.number().int().min(1).max(200).optional() }).strict(),
    output: SyncStatus,
  }),
  'outbox.list': method({
    permission: 'read',
    summary: 'Local mutations waiting for, or refused by, the directory (done items of the last days included).',
    mutation: false,
    input: z.object({ uai: Uai.optional(), states: z.array(OutboxState).optional() }).strict(),
    output: z.array(OutboxItem),
  }),
  'outbox.retry': method({
    permission: 'write',
    summary: 'Puts a failed or conflicting outbox item back in the queue (a conflict is resent against the current version).',
    mutation: true,
    input: OutboxId,
    output: OutboxItem,
  }),
  'outbox.discard': method({
    permission: 'write',
    summary: 'Abandons an outbox item that is not in flight nor confirmed.',
    mutation: true,
    input: OutboxId,
    output: z.object({ id: z.number().int(), discarded: z.literal(true) }),
  }),
} satisfies Record<string, MethodSpec>;

export const directoryEvents = {
  /** The session changed without the renderer asking (locked by the OS, ended by the directory): re-read auth.status. */
  'auth.changed': z.object({ reason: z.enum(['locked', 'signedOut']) }),
  'sync.state': z.object({
    uai: z.string(),
    state: z.enum(['idle', 'running', 'error', 'offline']),
    phase: z.enum(['snapshot', 'changes', 'resync', 'check']).nullable(),
    /** Records applied in the current (or last) run. */
    applied: z.number().int().nonnegative(),
    /** Records per second in the current run. */
    rate: z.number().nonnegative(),
  }),
  'outbox.changed': z.object({
    id: z.number().int(),
    uai: z.string(),
    state: z.enum(['pending', 'in_flight', 'done', 'failed', 'conflict', 'discarded']),
  }),
} satisfies Record<string, z.ZodType>;
