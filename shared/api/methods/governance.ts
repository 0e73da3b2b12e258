/** delegations.*, settings.*, rollover.*: who may do what on an establishment, and the end of the school year. */
import { z } from 'zod';
import { ScolariteService } from '../../directory/wire';
import { method, IsoDate, Uai, type MethodSpec, byUai } from '../spec';

/** The rights a head of establishment can delegate (never `administration`, never `read`: every operator reads). */
export const DELEGABLE_RIGHTS = ['pupilAccounts', 'guardianAccounts', 'letters', 'statistics', 'exports', 'identityDecisions'] as const;
export const DelegableRight = z.enum(DELEGABLE_RIGHTS);
export type DelegableRight = z.infer<typeof DelegableRight>;

const Login = z.string().trim().min(1, 'Identifiant obligatoire.').max(100, 'Identifiant trop long (100 caractères au plus).');

// ---------------------------------------------------------------- delegations

export const DelegationStatus = z.enum(['active', 'expired', 'revoked']);

export const Delegation = z.object({
  id: z.number().int(),
  uai: z.string(),
  login: z.string(),
  displayName: z.string().nullable(),
  rights: z.array(DelegableRight),
  endsOn: z.string(),
  grantedBy: z.string(),
  grantedAt: z.string(),
  note: z.string().nullable(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
  revokeReason: z.string().nullable(),
  status: DelegationStatus,
});
export type Delegation = z.infer<typeof Delegation>;

export const KnownOperator = z.object({
  login: z.string(),
  displayName: z.string(),
  role: z.enum(['chef', 'delegue', 'secretariat']),
  uais: z.array(z.string()),
  lastOnlineAt: z.string(),
});
export type KnownOperator = z.infer<typeof KnownOperator>;

// ---------------------------------------------------------------- settings

export const EstablishmentSettings = z.object({
  services: z.array(ScolariteService),
  directCommunication: z.boolean(),
  letterHeader: z.string(),
  helpContact: z.object({ address: z.string(), phone: z.string(), hours: z.string() }),
});
export type EstablishmentSettings = z.infer<typeof EstablishmentSettings>;

/**
 * Where the academy publishes the desktop app's updates (installers and electron-builder's latest*.yml): https only,
 * without user name or password, since an update is code run on the workstation.
 */
export function isUpdateServerUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' && url.hostname !== '' && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

export const UpdateServerUrl = z
  .string()
  .trim()
  .max(500, 'Adresse trop longue (500 caractères au plus).')
  .refine(isUpdateServerUrl, 'Adresse invalide : une adresse en https:// est attendue, sans identifiant ni paramètres (ex. https://maj.ac-academie.fr/educonnect-desk/).');

/** Settings of this workstation, shared by every establishment it holds. */
export const LocalSettings = z.object({
  syncIntervalMinutes: z.number().int().min(1).max(24 * 60),
  inactivityMinutes: z.number().int().min(1).max(240),
  /** Days an operator may still sign in offline after their last online sign-in on this workstation. */
  offlineSignInDays: z.number().int().min(1).max(365),
  auditRetentionDays: z.number().int().min(30).max(3650),
  pupilRetentionDays: z.number().int().min(0).max(3650),
  /** The desktop app looks for updates on `updateServerUrl` (off by default; needs the address). */
  updatesEnabled: z.boolean(),
  /** The academy's update server, null until an administrator sets it. */
  updateServerUrl: UpdateServerUrl.nullable(),
});
export type LocalSettings = z.infer<typeof LocalSettings>;

export const SettingsView = z.object({
  uai: z.string(),
  /** Null until the establishment's settings record has been synced from the directory. */
  establishment: EstablishmentSettings.nullable(),
  version: z.number().int().nullable(),
  /** A change is waiting in the outbox for the directory. */
  pending: z.boolean(),
  isPrivate: z.boolean(),
  local: LocalSettings,
});
export type SettingsView = z.infer<typeof SettingsView>;

export const EstablishmentSettingsPatch = z
  .object({
    services: z.array(ScolariteService),
    directCommunication: z.boolean(),
    letterHeader: z.string().trim().max(500, 'En-tête trop long (500 caractères au plus).'),
    helpContact: z
      .object({
        address: z.string().trim().max(500, 'Adresse trop longue (500 caractères au plus).'),
        phone: z.string().trim().max(50, 'Téléphone trop long (50 caractères au plus).'),
        hours: z.string().trim().max(200, 'Horaires trop longs (200 caractères au plus).'),
      })
      .strict(),
  })
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: 'Aucune modification demandée.' });

// ---------------------------------------------------------------- rollover

export const RolloverPreview = z.object({
  uai: z.string(),
  today: z.string(),
  /** Identifies exactly this list; rollover.run refuses to run when the list has changed since. */
  planId: z.string(),
  pupilRetentionDays: z.number().int(),
  auditRetentionDays: z.number().int(),
  pupils: z.array(z.object({ id: z.string(), name: z.string(), division: z.string().nullable(), leftDate: z.string() })),
  /** Mirror rows removed with those pupils: their accounts, links and identity changes. */
  related: z.object({ accounts: z.number().int(), links: z.number().int(), identityChanges: z.number().int() }),
  /**
   * Audit entries older than `before` (the audit retention): the establishment's chain and the workstation's (entries
   * without an establishment, purged by any establishment's rollover); `count` is their sum.
   */
  audit: z.object({ count: z.number().int(), establishment: z.number().int(), workstation: z.number().int(), before: z.string() }),
  /**
   * Other history older than `audit.before`: the establishment's finished outbox items (their payloads are emptied),
   * account action history, decided review items; and the workstation's backups taken before migrations.
   */
  history: z.object({
    outboxPayloads: z.number().int(),
    accountActions: z.number().int(),
    reviewItems: z.number().int(),
    backups: z.number().int(),
  }),
  delegations: z.array(z.object({ id: z.number().int(), login: z.string(), endsOn: z.string(), status: DelegationStatus })),
});
export type RolloverPreview = z.infer<typeof RolloverPreview>;

export const RolloverResult = z.object({
  uai: z.string(),
  pupilsDeleted: z.number().int(),
  relatedDeleted: z.number().int(),
  auditDeleted: z.number().int(),
  delegationsEnded: z.number().int(),
  archivedStatistics: z.record(z.string(), z.number()),
  /** What was purged of the history listed in the preview's `history`. */
  purged: z.object({
    outboxPayloads: z.number().int(),
    accountActions: z.number().int(),
    reviewItems: z.number().int(),
    backups: z.number().int(),
  }),
});
export type RolloverResult = z.infer<typeof RolloverResult>;

const ById = z.object({ id: z.number().int().positive() }).strict();

export const governanceMethods = {
  'delegations.list': method({
    permission: 'administration',
    scope: byUai(),
    summary: 'Delegations of an establishment (active first, then history) and the operators seen on this workstation.',
    mutation: false,
    input: z.object({ uai: Uai }).strict(),
    output: z.object({ items: z.array(Delegation), operators: z.array(KnownOperator), defaultEndsOn: z.string() }),
  }),
  'delegations.grant': method({
    permission: 'administration',
    scope: byUai(),
    summary: 'Grants named rights to a délégué until an end date (default: 31 August); replaces their active delegation.',
    mutation: true,
    input: z
      .object({
        uai: Uai,
        login: Login,
        rights: z.array(DelegableRight).min(1, 'Choisissez au moins un droit.'),
        endsOn: IsoDate.optional(),
        note: z.string().trim().max(500).optional(),
      })
      .strict(),
    output: Delegation,
  }),
  'delegations.revoke': method({
    permission: 'administration',
    scope: { by: 'record', record: 'delegation', ids: (input) => [input.id] },
    summary: 'Ends a delegation now.',
    mutation: true,
    input: ById.extend({ reason: z.string().trim().max(500).optional() }).strict(),
    output: Delegation,
  }),
  'settings.get': method({
    permission: 'read',
    scope: byUai(),
    summary: "An establishment's settings (synced with the directory) and this workstation's settings.",
    mutation: false,
    input: z.object({ uai: Uai }).strict(),
    output: SettingsView,
  }),
  'settings.update': method({
    permission: 'administration',
    scope: byUai(),
    summary: "Changes an establishment's settings locally and queues them for the directory (settings.update).",
    mutation: true,
    input: z.object({ uai: Uai, patch: EstablishmentSettingsPatch }).strict(),
    output: SettingsView,
  }),
  'settings.updateLocal': method({
    permission: 'administration',
    scope: byUai(),
    summary:
      "Changes this workstation's settings: sync interval, inactivity delay, offline sign-in period, retention periods, " +
      'automatic updates of the desktop app and their server (https).',
    mutation: true,
    input: z.object({ uai: Uai, patch: LocalSettings.partial().strict() }).strict(),
    output: SettingsView,
  }),
  'rollover.preview': method({
    permission: 'administration',
    scope: byUai(),
    summary: 'Lists exactly what the end-of-year rollover of an establishment would delete or end.',
    mutation: false,
    input: z.object({ uai: Uai }).strict(),
    output: RolloverPreview,
  }),
  'rollover.run': method({
    permission: 'administration',
    scope: byUai(),
    summary: "Runs the rollover previewed under planId: archives statistics, ends delegations, purges what was listed.",
    mutation: true,
    input: z.object({ uai: Uai, planId: z.string().min(1, 'Aperçu obligatoire : lancez d’abord l’aperçu.') }).strict(),
    output: RolloverResult,
  }),
} satisfies Record<string, MethodSpec>;
