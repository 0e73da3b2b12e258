/** accounts.*: find, inspect and act on pupil and guardian accounts (the Comptes page). */
import { z } from 'zod';
import {
  ACCOUNT_KINDS,
  ACCOUNT_STATE_VALUES,
  ATTENTION_KEYS,
  CONTACT_STATUSES,
  FAMILY_STATUSES,
  LEVELS,
} from '../../domain/accounts';
import { method, Uai, type MethodSpec, byAccountKind, byOperator, byUai } from '../spec';
import { JobId } from './jobs';
import { ExportOverwrite, ExportPath } from '../export-file';

export const AccountKind = z.enum(ACCOUNT_KINDS);
export const AccountStateValue = z.enum(ACCOUNT_STATE_VALUES);
export const ContactStatusValue = z.enum(CONTACT_STATUSES);
export const FamilyStatusValue = z.enum(FAMILY_STATUSES);
export const LevelValue = z.enum(LEVELS);
export const AttentionKeyValue = z.enum(ATTENTION_KEYS);

const list = <T extends z.ZodType>(item: T) => z.array(item).max(500).optional();

/** Filters combine with AND across fields and OR within one field's values. */
export const AccountFilters = z
  .object({
    mef: list(z.string().min(1).max(20)),
    division: list(z.string().min(1).max(40)),
    level: list(LevelValue),
    state: list(AccountStateValue),
    family: list(FamilyStatusValue),
    email: list(ContactStatusValue),
    mobile: list(ContactStatusValue),
    /** Points d'attention: a row matches when it has any of them. */
    attention: list(AttentionKeyValue),
  })
  .strict();
export type AccountFilters = z.infer<typeof AccountFilters>;

export const SORT_FIELDS = ['name', 'login', 'state', 'division', 'activatedAt', 'lastLoginAt', 'ine'] as const;
export const AccountSort = z
  .object({ field: z.enum(SORT_FIELDS), direction: z.enum(['asc', 'desc']).default('asc') })
  .strict();
export type AccountSort = z.infer<typeof AccountSort>;

/** The query that defines a list (and a selection "all matching"). */
export const AccountQuery = z
  .object({
    kind: AccountKind,
    uai: Uai,
    text: z.string().max(200).optional(),
    filters: AccountFilters.optional(),
  })
  .strict();
export type AccountQuery = z.infer<typeof AccountQuery>;

export const AccountRow = z.object({
  kind: AccountKind,
  /** The person's directory id (pupil or guardian). */
  id: z.string(),
  accountId: z.string().nullable(),
  login: z.string().nullable(),
  state: AccountStateValue,
  lastName: z.string(),
  firstName: z.string(),
  displayName: z.string(),
  ine: z.string().nullable(),
  birthDate: z.string().nullable(),
  mef: z.string().nullable(),
  division: z.string().nullable(),
  email: z.string().nullable(),
  emailStatus: ContactStatusValue,
  mobile: z.string().nullable(),
  mobileStatus: ContactStatusValue,
  family: FamilyStatusValue,
  activatedAt: z.string().nullable(),
  lastLoginAt: z.string().nullable(),
  /** When the account's last letter was issued, and when that letter's temporary password stops working (UTC ISO). */
  notifiedAt: z.string().nullable(),
  letterExpiresAt: z.string().nullable(),
  attention: z.array(AttentionKeyValue),
  /** An action of this app waits for the directory's confirmation. */
  pending: z.boolean(),
});
export type AccountRow = z.infer<typeof AccountRow>;

const count = z.number().int().nonnegative();
const counts = z.array(z.object({ value: z.string(), count }));

export const AccountFacets = z.object({
  total: count,
  /** Per field, the rows each value would give with the other fields' filters applied. */
  state: counts,
  family: counts,
  email: counts,
  mobile: counts,
  level: counts,
  mef: counts,
  division: counts,
  attention: counts,
});
export type AccountFacets = z.infer<typeof AccountFacets>;

export const AttentionSummary = z.array(
  z.object({ key: AttentionKeyValue, kind: AccountKind, count }),
);
export type AttentionSummary = z.infer<typeof AttentionSummary>;

const PendingAction = z.object({
  outboxId: z.number().int(),
  kind: z.string(),
  targetType: z.string(),
  targetId: z.string(),
  state: z.enum(['pending', 'in_flight', 'done', 'failed', 'conflict']),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  /** For a conflict: the directory's current record (nothing local was overwritten). */
  current: z.unknown().nullable(),
});

export const AccountDetail = z.object({
  kind: AccountKind,
  id: z.string(),
  uai: z.string(),
  /** The directory record as mirrored (raw data, unknown fields kept). */
  directoryRecord: z.object({ version: z.number().int(), data: z.record(z.string(), z.unknown()) }),
  /** The establishment's own record when the school-records capability holds one; null otherwise. */
  schoolRecord: z.record(z.string(), z.unknown()).nullable(),
  account: z
    .object({
      id: z.string(),
      version: z.number().int(),
      login: z.string(),
      state: AccountStateValue,
      notifiedAt: z.string().nullable(),
      letterExpiresAt: z.string().nullable(),
      activatedAt: z.string().nullable(),
      activationMethod: z.string().nullable(),
      lastLoginAt: z.string().nullable(),
      lockedUntil: z.string().nullable(),
      email: z.string().nullable(),
      emailConfirmed: z.boolean(),
      mobile: z.string().nullable(),
      mobileConfirmed: z.boolean(),
      /** Letters issued so far (notifications recorded by the directory and by this app). */
      lettersSent: z.number().int().nonnegative(),
    })
    .nullable(),
  family: z.object({
    /** For a pupil: their guardians; for a guardian: the guardians of their children (themselves excluded). */
    guardians: z.array(
      z.object({
        id: z.string(),
        linkId: z.string(),
        linkVersion: z.number().int(),
        pupilId: z.string(),
        displayName: z.string(),
        level: z.number().int(),
        levelLabel: z.string(),
        relationship: z.string(),
        relationshipLabel: z.string(),
        state: AccountStateValue,
      }),
    ),
    /** For a pupil: brothers and sisters (sharing a legal guardian); for a guardian: their children. */
    pupils: z.array(
      z.object({
        id: z.string(),
        displayName: z.string(),
        division: z.string().nullable(),
        state: AccountStateValue,
        linkId: z.string().nullable(),
        linkVersion: z.number().int().nullable(),
        level: z.number().int().nullable(),
        relationshipLabel: z.string().nullable(),
      }),
    ),
  }),
  attention: z.array(AttentionKeyValue),
  pending: z.array(PendingAction),
  history: z.array(
    z.object({
      at: z.string(),
      source: z.enum(['action', 'audit', 'outbox']),
      label: z.string(),
      operator: z.string().nullable(),
      reason: z.string().nullable(),
      outcome: z.string().nullable(),
    }),
  ),
});
export type AccountDetail = z.infer<typeof AccountDetail>;

const Target = z.object({ kind: AccountKind, uai: Uai, id: z.string().min(1).max(100) }).strict();
const reason = z.string().trim().min(3, 'Motif obligatoire (3 caractères au moins).').max(500);

export const ActionResult = z.object({
  outboxId: z.number().int().nullable(),
  state: z.enum(['pending', 'done']),
});
export type ActionResult = z.infer<typeof ActionResult>;

export const BULK_ACTIONS = ['unlock', 'deactivate', 'reactivate'] as const;
export const BulkAction = z.enum(BULK_ACTIONS);

export const BulkReport = z.object({
  jobId: z.string(),
  cancelled: z.boolean(),
  done: count,
  refused: count,
  rows: z.array(
    z.object({
      id: z.string(),
      displayName: z.string(),
      outcome: z.enum(['done', 'refused', 'skipped']),
      message: z.string().nullable(),
      outboxId: z.number().int().nullable(),
    }),
  ),
});
export type BulkReport = z.infer<typeof BulkReport>;

/** A selection: explicit person ids, or every row of a list query (exactly one of the two). */
const BulkSelection = {
  jobId: JobId,
  kind: AccountKind,
  uai: Uai,
  ids: z.array(z.string().min(1)).max(100_000).optional(),
  query: AccountQuery.omit({ kind: true, uai: true }).optional(),
};
const oneSelection = {
  check: (v: { ids?: unknown; query?: unknown }) => (v.ids === undefined) !== (v.query === undefined),
  message: 'Indiquez soit une sélection, soit la requête de la liste.',
};

/** One account's new credentials, for the printed slip. Only ever in this response: never stored, logged or audited. */
export const TemporaryCredential = z.object({
  id: z.string(),
  displayName: z.string(),
  login: z.string(),
  temporaryPassword: z.string(),
  letterExpiresAt: z.string().nullable(),
});
export type TemporaryCredential = z.infer<typeof TemporaryCredential>;

export const BulkResetReport = BulkReport.extend({
  kind: AccountKind,
  establishment: z.object({ uai: z.string(), name: z.string() }),
  /** The accounts whose row is `done`, in the selection's order. */
  credentials: z.array(TemporaryCredential),
});
export type BulkResetReport = z.infer<typeof BulkResetReport>;

const Preferences = z
  .object({
    columns: z.array(z.string().max(40)).max(30),
    pageSize: z.number().int().refine((n) => [25, 50, 100, 200].includes(n), 'Taille de page : 25, 50, 100 ou 200.'),
  })
  .strict();
export type AccountListPreferences = z.infer<typeof Preferences>;

const uaiOnly = z.object({ uai: Uai }).strict();

export const accountsMethods = {
  'accounts.search': method({
    permission: 'read',
    scope: byUai(),
    summary: 'One page of pupil or guardian accounts: text (accents and case ignored, prefix or substring of names, INE, login), filters, sort.',
    mutation: false,
    input: AccountQuery.extend({
      sort: AccountSort.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(500).default(50),
    }).strict(),
    output: z.object({ total: count, rows: z.array(AccountRow) }),
  }),
  'accounts.facets': method({
    permission: 'read',
    scope: byUai(),
    summary: 'Counts per filter value for a list query (each field counted with the other fields applied).',
    mutation: false,
    input: AccountQuery,
    output: AccountFacets,
  }),
  'accounts.attention': method({
    permission: 'read',
    scope: byUai(),
    summary: "The points d'attention of an establishment with their counts (each is a filter of the lists).",
    mutation: false,
    input: uaiOnly,
    output: AttentionSummary,
  }),
  'accounts.ids': method({
    permission: 'read',
    scope: byUai(),
    summary: 'Every person id matching a list query, for a selection across pages.',
    mutation: false,
    input: AccountQuery,
    output: z.object({ total: count, ids: z.array(z.string()) }),
  }),
  'accounts.get': method({
    permission: 'read',
    scope: byUai(),
    summary: 'Account detail: identity (directory and school records), account, family, pending actions and history.',
    mutation: false,
    input: Target,
    output: AccountDetail,
  }),
  'accounts.resetPassword': method({
    permission: 'accountActions',
    scope: byAccountKind(),
    summary:
      'New temporary password (online only, needs pupilAccounts or guardianAccounts by target): returned once, never stored.',
    mutation: true,
    input: Target,
    output: z.object({ login: z.string(), temporaryPassword: z.string(), letterExpiresAt: z.string().nullable() }),
  }),
  'accounts.unlock': method({
    permission: 'accountActions',
    scope: byAccountKind(),
    summary: 'Unlocks a locked account (outbox; needs pupilAccounts or guardianAccounts by target).',
    mutation: true,
    input: Target,
    output: ActionResult,
  }),
  'accounts.deactivate': method({
    permission: 'accountActions',
    scope: byAccountKind(),
    summary: 'Deactivates an account, reason required (outbox; needs pupilAccounts or guardianAccounts by target).',
    mutation: true,
    input: Target.extend({ reason }).strict(),
    output: ActionResult,
  }),
  'accounts.reactivate': method({
    permission: 'accountActions',
    scope: byAccountKind(),
    summary: 'Reactivates a deactivated account, reason required (outbox; needs pupilAccounts or guardianAccounts).',
    mutation: true,
    input: Target.extend({ reason }).strict(),
    output: ActionResult,
  }),
  'accounts.updateContact': method({
    permission: 'accountActions',
    scope: byAccountKind(),
    summary: "Edits an account's email and/or mobile (validated; becomes unconfirmed). Outbox; needs the kind's permission.",
    mutation: true,
    input: Target.extend({ email: z.string().max(254).nullable().optional(), mobile: z.string().max(30).nullable().optional() }).strict(),
    output: ActionResult,
  }),
  'accounts.link': method({
    permission: 'guardianAccounts',
    scope: byUai(),
    summary: "Attaches a pupil to a guardian's account with a responsibility level and relationship (outbox).",
    mutation: true,
    input: z
      .object({
        uai: Uai,
        guardianId: z.string().min(1),
        pupilId: z.string().min(1),
        level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
        relationship: z.enum(['10', '20', '37', '38', '39', '41', '42', '50', '51', '70', '90']),
      })
      .strict(),
    output: ActionResult,
  }),
  'accounts.unlink': method({
    permission: 'guardianAccounts',
    scope: byUai(),
    summary: "Detaches a pupil from a guardian's account (outbox; the last legal guardian cannot be removed).",
    mutation: true,
    input: z.object({ uai: Uai, linkId: z.string().min(1) }).strict(),
    output: ActionResult,
  }),
  'accounts.bulk': method({
    permission: 'accountActions',
    scope: byAccountKind(),
    summary:
      'Unlock, deactivate or reactivate a selection (ids, or every row of a query); progress events, cancellable; per-row report.',
    mutation: true,
    input: z
      .object({ ...BulkSelection, action: BulkAction, reason: reason.optional() })
      .strict()
      .refine(oneSelection.check, { message: oneSelection.message }),
    output: BulkReport,
  }),
  'accounts.bulkResetPassword': method({
    permission: 'accountActions',
    scope: byAccountKind(),
    summary:
      'New temporary passwords for a selection (online only; needs the kind\'s permission): progress events, cancellable, ' +
      'per-row report; the credentials are returned once for printing, never stored, logged or audited.',
    mutation: true,
    input: z.object(BulkSelection).strict().refine(oneSelection.check, { message: oneSelection.message }),
    output: BulkResetReport,
  }),
  'accounts.export': method({
    permission: 'exports',
    scope: byUai(),
    summary:
      'Writes exactly the filtered list (all pages, with activation and last-login dates) to .xlsx or CSV (;, UTF-8 BOM, ' +
      'formulas neutralised) at an absolute path in an existing folder; an existing file only with overwrite.',
    mutation: false,
    audited: true,
    input: AccountQuery.extend({
      format: z.enum(['xlsx', 'csv']),
      path: ExportPath,
      overwrite: ExportOverwrite,
      sort: AccountSort.optional(),
      jobId: JobId.optional(),
    }).strict(),
    output: z.object({ path: z.string(), rows: count, cancelled: z.boolean() }),
  }),
  'accounts.getPreferences': method({
    permission: 'read',
    scope: byOperator,
    summary: "The signed-in operator's columns and page size for a list.",
    mutation: false,
    input: z.object({ kind: AccountKind }).strict(),
    output: Preferences.nullable(),
  }),
  'accounts.savePreferences': method({
    permission: 'read',
    scope: byOperator,
    summary: "Remembers the signed-in operator's columns and page size for a list.",
    mutation: false,
    input: z.object({ kind: AccountKind, preferences: Preferences }).strict(),
    output: Preferences,
  }),
} satisfies Record<string, MethodSpec>;

