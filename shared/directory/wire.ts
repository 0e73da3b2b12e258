/**
 * Directory API v1: the wire types shared by the demo directory (server) and the sync engine (client).
 * docs/directory-api.md describes the protocol; this file is its machine-checked half.
 *
 * Client-side leniency: every `data` object and every response object is loose (unknown fields kept), because the
 * server may add fields within a protocol version. Identifier formats are NOT enforced here: the directory is the
 * source of truth and the mirror must accept what it holds; shared/domain/identifiers checks formats for display.
 */
import { z } from 'zod';

export const DIRECTORY_PROTOCOL_VERSION = 1;
export const DIRECTORY_API_PREFIX = '/v1';

/** Header names (HTTP headers are case-insensitive; these are the canonical spellings). */
export const DIRECTORY_HEADERS = {
  protocol: 'X-Directory-Protocol',
  idempotencyKey: 'Idempotency-Key',
  ifMatch: 'If-Match',
  authorization: 'Authorization',
  retryAfter: 'Retry-After',
} as const;

// ---------------------------------------------------------------- errors

export const DirectoryErrorCode = z.enum([
  'PROTOCOL_VERSION',
  'INVALID_REQUEST',
  'INVALID_CREDENTIALS',
  'UNAUTHORIZED',
  'TOKEN_EXPIRED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CURSOR_EXPIRED',
  'IDEMPOTENCY_KEY_REUSED',
  'PASSWORD_NOT_REPLAYABLE',
  'ALREADY_EXISTS',
  'VERSION_MISMATCH',
  'PRECONDITION_REQUIRED',
  'UNPROCESSABLE',
  'REQUEST_TIMEOUT',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'INTERNAL',
]);
export type DirectoryErrorCode = z.infer<typeof DirectoryErrorCode>;

/** HTTP status of each error code (the server uses it; clients may rely on either). */
export const DIRECTORY_ERROR_STATUS: Record<DirectoryErrorCode, number> = {
  PROTOCOL_VERSION: 400,
  INVALID_REQUEST: 400,
  INVALID_CREDENTIALS: 401,
  UNAUTHORIZED: 401,
  TOKEN_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CURSOR_EXPIRED: 410,
  IDEMPOTENCY_KEY_REUSED: 409,
  PASSWORD_NOT_REPLAYABLE: 409,
  ALREADY_EXISTS: 409,
  VERSION_MISMATCH: 412,
  PRECONDITION_REQUIRED: 428,
  UNPROCESSABLE: 422,
  REQUEST_TIMEOUT: 408,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** `code` is a plain string on the client so that a new server code does not make the error itself unreadable. */
export const DirectoryErrorBody = z.looseObject({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type DirectoryErrorBody = z.infer<typeof DirectoryErrorBody>;

// ---------------------------------------------------------------- shared value types

const isoDate = z.iso.date(); // YYYY-MM-DD
const isoDateTime = z.iso.datetime({ offset: true });
const nullableString = z.string().nullable();

export const Role = z.enum(['chef', 'delegue', 'secretariat']);
export type Role = z.infer<typeof Role>;

export const EstablishmentKind = z.enum(['ecole', 'college', 'lycee']);
export type EstablishmentKind = z.infer<typeof EstablishmentKind>;

export const PersonKind = z.enum(['pupil', 'guardian']);
export type PersonKind = z.infer<typeof PersonKind>;

export const AccountState = z.enum(['non_notifie', 'notifie', 'active', 'bloque', 'desactive', 'supprime']);
export type AccountState = z.infer<typeof AccountState>;

export const ActivationMethod = z.enum(['franceconnect', 'autoinscription', 'courrier', 'transition']);
export type ActivationMethod = z.infer<typeof ActivationMethod>;

/** NIVEAU_RESPONSABILITE: 1 représentant légal, 2 personne en charge, 3 à contacter. */
export const ResponsibilityLevel = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type ResponsibilityLevel = z.infer<typeof ResponsibilityLevel>;

/** CODE_PARENTE (DOMAIN.md). */
export const RelationshipCode = z.enum(['10', '20', '37', '38', '39', '41', '42', '50', '51', '70', '90']);
export type RelationshipCode = z.infer<typeof RelationshipCode>;

export const IdentityField = z.enum([
  'lastName',
  'usageName',
  'firstName',
  'firstName2',
  'birthDate',
  'sex',
  'birthCity',
  'email',
  'mobile',
]);
export type IdentityField = z.infer<typeof IdentityField>;

export const IdentityChangeSource = z.enum(['franceconnect', 'self_service', 'academie']);
export type IdentityChangeSource = z.infer<typeof IdentityChangeSource>;

export const IdentityChangeStatus = z.enum(['open', 'accepted', 'rejected']);
export type IdentityChangeStatus = z.infer<typeof IdentityChangeStatus>;

/** The Scolarité services an establishment may open to families (seed 002). */
export const ScolariteService = z.enum([
  'certificat_scolarite',
  'droit_image',
  'autorisation_sortie',
  'paiement',
  'voeux_affectation',
  'lsu',
  'lsl',
  'inscription',
  'orientation',
  'changement_coordonnees',
  'bourses',
]);
export type ScolariteService = z.infer<typeof ScolariteService>;

// ---------------------------------------------------------------- record data

/**
 * The person's own identifiers in the school's management software, which feeds the real directory: SIECLE's
 * ELEVE_ID (pupils) or PERSONNE_ID (guardians) for secondary schools, ONDE's identifier for primary schools. Optional:
 * a directory may not know them, and a person may come from neither. Imports match school records with them.
 */
export const SourceIds = z.looseObject({
  siecle: nullableString.optional(),
  onde: nullableString.optional(),
});
export type SourceIds = z.infer<typeof SourceIds>;

export const PupilData = z.looseObject({
  uai: z.string(),
  ine: z.string(),
  lastName: z.string(),
  usageName: nullableString,
  firstName: z.string(),
  firstName2: nullableString,
  firstName3: nullableString,
  birthDate: isoDate,
  sex: z.enum(['M', 'F']),
  birthCity: nullableString,
  mef: z.string(),
  mefLabel: z.string(),
  division: z.string(),
  entryDate: isoDate,
  leftDate: isoDate.nullable(),
  email: nullableString,
  sourceIds: SourceIds.optional(),
});
export type PupilData = z.infer<typeof PupilData>;

export const PostalAddress = z.looseObject({
  line1: z.string(),
  line2: nullableString,
  postalCode: z.string(),
  city: z.string(),
  country: z.string(),
});
export type PostalAddress = z.infer<typeof PostalAddress>;

export const GuardianData = z.looseObject({
  uai: z.string(),
  civility: z.enum(['M.', 'Mme']),
  lastName: z.string(),
  usageName: nullableString,
  firstName: z.string(),
  birthDate: isoDate.nullable(),
  email: nullableString,
  mobile: nullableString,
  phoneHome: nullableString,
  phoneWork: nullableString,
  address: PostalAddress.nullable(),
  sourceIds: SourceIds.optional(),
});
export type GuardianData = z.infer<typeof GuardianData>;

export const LinkData = z.looseObject({
  uai: z.string(),
  guardianId: z.string(),
  pupilId: z.string(),
  level: ResponsibilityLevel,
  relationship: RelationshipCode,
  financial: z.boolean(),
  contact: z.boolean(),
});
export type LinkData = z.infer<typeof LinkData>;

export const AccountData = z.looseObject({
  uai: z.string(),
  personKind: PersonKind,
  personId: z.string(),
  login: z.string(),
  state: AccountState,
  notifiedAt: isoDateTime.nullable(),
  letterExpiresAt: isoDateTime.nullable(),
  activatedAt: isoDateTime.nullable(),
  activationMethod: ActivationMethod.nullable(),
  lastLoginAt: isoDateTime.nullable(),
  lockedUntil: isoDateTime.nullable(),
  email: nullableString,
  emailConfirmed: z.boolean(),
  mobile: nullableString,
  mobileConfirmed: z.boolean(),
});
export type AccountData = z.infer<typeof AccountData>;

export const IdentityChangeData = z.looseObject({
  uai: z.string(),
  personKind: PersonKind,
  personId: z.string(),
  field: IdentityField,
  previousValue: nullableString,
  newValue: nullableString,
  source: IdentityChangeSource,
  detectedAt: isoDateTime,
  status: IdentityChangeStatus,
});
export type IdentityChangeData = z.infer<typeof IdentityChangeData>;

export const HelpContact = z.looseObject({ address: z.string(), phone: z.string(), hours: z.string() });
export type HelpContact = z.infer<typeof HelpContact>;

export const SettingsData = z.looseObject({
  uai: z.string(),
  services: z.array(ScolariteService),
  directCommunication: z.boolean(),
  letterHeader: z.string(),
  helpContact: HelpContact,
});
export type SettingsData = z.infer<typeof SettingsData>;

export const RECORD_TYPES = ['pupil', 'guardian', 'link', 'account', 'identityChange', 'settings'] as const;
export const RecordType = z.enum(RECORD_TYPES);
export type RecordType = z.infer<typeof RecordType>;

/** The data schema of each record type, for code that handles records generically. */
export const RECORD_DATA_SCHEMAS = {
  pupil: PupilData,
  guardian: GuardianData,
  link: LinkData,
  account: AccountData,
  identityChange: IdentityChangeData,
  settings: SettingsData,
} as const satisfies Record<RecordType, z.ZodType>;

export interface RecordDataByType {
  pupil: PupilData;
  guardian: GuardianData;
  link: LinkData;
  account: AccountData;
  identityChange: IdentityChangeData;
  settings: SettingsData;
}

// ---------------------------------------------------------------- records and changes

const recordId = z.string().min(1);
const recordVersion = z.number().int().positive();

const recordOf = <T extends RecordType>(type: T) =>
  z.looseObject({ type: z.literal(type), id: recordId, version: recordVersion, data: RECORD_DATA_SCHEMAS[type] });

export const PupilRecord = recordOf('pupil');
export const GuardianRecord = recordOf('guardian');
export const LinkRecord = recordOf('link');
export const AccountRecord = recordOf('account');
export const IdentityChangeRecord = recordOf('identityChange');
export const SettingsRecord = recordOf('settings');

/** A record as the directory holds it now: `version` grows with every change of that record. */
export const DirectoryRecord = z.discriminatedUnion('type', [
  PupilRecord,
  GuardianRecord,
  LinkRecord,
  AccountRecord,
  IdentityChangeRecord,
  SettingsRecord,
]);
export type DirectoryRecord = z.infer<typeof DirectoryRecord>;
export type DirectoryRecordOf<T extends RecordType> = Extract<DirectoryRecord, { type: T }>;

const seq = z.number().int().positive();
const upsertOf = <T extends RecordType>(type: T) =>
  recordOf(type).extend({ seq, op: z.literal('upsert') });

export const UpsertChange = z.discriminatedUnion('type', [
  upsertOf('pupil'),
  upsertOf('guardian'),
  upsertOf('link'),
  upsertOf('account'),
  upsertOf('identityChange'),
  upsertOf('settings'),
]);
export type UpsertChange = z.infer<typeof UpsertChange>;

/** A tombstone: the record is gone (no data). Its version is greater than any version of the live record. */
export const DeleteChange = z.looseObject({
  seq,
  op: z.literal('delete'),
  type: RecordType,
  id: recordId,
  version: recordVersion,
});
export type DeleteChange = z.infer<typeof DeleteChange>;

export const Change = z.discriminatedUnion('op', [UpsertChange, DeleteChange]);
export type Change = z.infer<typeof Change>;

// ---------------------------------------------------------------- auth

export const TokenRequest = z.object({ login: z.string().min(1), password: z.string().min(1) });
export type TokenRequest = z.infer<typeof TokenRequest>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(1) });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

export const Operator = z.looseObject({
  login: z.string(),
  displayName: z.string(),
  role: Role,
  uais: z.array(z.string()),
});
export type Operator = z.infer<typeof Operator>;

export const TokenResponse = z.looseObject({
  accessToken: z.string(),
  refreshToken: z.string(),
  /** Lifetime of the access token in seconds. */
  expiresIn: z.number().int().positive(),
  operator: Operator,
});
export type TokenResponse = z.infer<typeof TokenResponse>;

// ---------------------------------------------------------------- establishments, snapshot, changes

export const Establishment = z.looseObject({
  uai: z.string(),
  name: z.string(),
  kind: EstablishmentKind,
  isPrivate: z.boolean(),
  city: z.string(),
  academy: z.string(),
});
export type Establishment = z.infer<typeof Establishment>;

export const EstablishmentsResponse = z.looseObject({ items: z.array(Establishment) });
export type EstablishmentsResponse = z.infer<typeof EstablishmentsResponse>;

export const DEFAULT_PAGE_LIMIT = 500;
export const MAX_PAGE_LIMIT = 5000;

export const SnapshotPage = z.looseObject({
  records: z.array(DirectoryRecord),
  /** Opaque token of the next page; null on the last page. */
  nextPage: z.string().nullable(),
  /** Change-feed position at which the snapshot was taken (the same on every page of one snapshot). */
  cursor: z.string(),
});
export type SnapshotPage = z.infer<typeof SnapshotPage>;

export const ChangesPage = z.looseObject({
  changes: z.array(Change),
  /** Where to continue; store it in the same transaction as the page. */
  cursor: z.string(),
  /** True when more changes may follow right away: keep reading, even after an empty page. */
  hasMore: z.boolean(),
});
export type ChangesPage = z.infer<typeof ChangesPage>;

// ---------------------------------------------------------------- mutations

const reason = z.string().trim().min(1).max(500);

export const SettingsPatch = z
  .object({
    services: z.array(ScolariteService),
    directCommunication: z.boolean(),
    letterHeader: z.string().max(500),
    helpContact: z.object({ address: z.string().max(500), phone: z.string().max(50), hours: z.string().max(200) }),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, { message: 'Aucune modification demandée.' });
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const ContactPatch = z
  .object({ email: z.string().nullable(), mobile: z.string().nullable() })
  .partial()
  .refine((p) => p.email !== undefined || p.mobile !== undefined, { message: 'Indiquez un courriel ou un portable.' });
export type ContactPatch = z.infer<typeof ContactPatch>;

const emptyPayload = z.object({}).optional().default({});
const mutation = <K extends string, P extends z.ZodType>(kind: K, payload: P) =>
  z.object({ kind: z.literal(kind), targetId: z.string().min(1), payload });

/**
 * The body of `POST /v1/establishments/{uai}/mutations`. `targetId` is the record the mutation applies to
 * (an account, link, identity change or the settings record); for `link.create` it is the id of the new link,
 * chosen by the client (a UUID is recommended).
 */
export const MutationRequest = z.discriminatedUnion('kind', [
  mutation('account.resetPassword', emptyPayload),
  mutation('account.unlock', emptyPayload),
  mutation('account.deactivate', z.object({ reason })),
  mutation('account.reactivate', z.object({ reason })),
  mutation(
    'link.create',
    z.object({
      guardianId: z.string().min(1),
      pupilId: z.string().min(1),
      level: ResponsibilityLevel,
      relationship: RelationshipCode,
      financial: z.boolean().optional(),
      contact: z.boolean().optional(),
    }),
  ),
  mutation('link.delete', emptyPayload),
  mutation('contact.update', ContactPatch),
  mutation('identityChange.decide', z.object({ decision: z.enum(['accepted', 'rejected']) })),
  mutation('settings.update', SettingsPatch),
]);
export type MutationRequest = z.input<typeof MutationRequest>;
export type ParsedMutationRequest = z.output<typeof MutationRequest>;
export type MutationKind = MutationRequest['kind'];
export const MUTATION_KINDS = MutationRequest.options.map((o) => o.shape.kind.value) as MutationKind[];

/** Record type each mutation targets (for If-Match and for tests). */
export const MUTATION_TARGET_TYPE: Record<MutationKind, RecordType> = {
  'account.resetPassword': 'account',
  'account.unlock': 'account',
  'account.deactivate': 'account',
  'account.reactivate': 'account',
  'link.create': 'link',
  'link.delete': 'link',
  'contact.update': 'account',
  'identityChange.decide': 'identityChange',
  'settings.update': 'settings',
};

/** Only `link.create` applies to a record that does not exist yet, so only it goes without `If-Match`. */
export const mutationNeedsIfMatch = (kind: MutationKind): boolean => kind !== 'link.create';

export const MutationResponse = z.looseObject({
  /** The record after the mutation; for `link.delete`, the tombstone's record with its last data. */
  record: DirectoryRecord,
  /** `account.resetPassword` only: shown once, never stored (a replay gets 409 PASSWORD_NOT_REPLAYABLE instead). */
  temporaryPassword: z.string().optional(),
  /** True when the record was deleted by this mutation. */
  deleted: z.boolean().optional(),
});
export type MutationResponse = z.infer<typeof MutationResponse>;

/**
 * The answer to `account.resetPassword`: the reset is applied, so a missing or blank `temporaryPassword` would leave
 * an account with a password nobody knows and a blank credential letter. Such an answer is refused whole.
 */
export const PasswordResetResponse = MutationResponse.extend({
  temporaryPassword: z.string().regex(/\S/),
});
export type PasswordResetResponse = z.infer<typeof PasswordResetResponse>;

/** What a mutation of kind K answers: the reset's password is required by the type too. */
export type MutationResponseFor<K extends MutationKind> = K extends 'account.resetPassword' ? PasswordResetResponse : MutationResponse;

// ---------------------------------------------------------------- activation history

/** One day of an establishment's activation: its accounts of each kind that day, and those activated by then. */
export const ActivationDay = z.looseObject({
  date: isoDate,
  pupils: z.number().int().nonnegative(),
  pupilsActivated: z.number().int().nonnegative(),
  guardians: z.number().int().nonnegative(),
  guardiansActivated: z.number().int().nonnegative(),
});
export type ActivationDay = z.infer<typeof ActivationDay>;

export const ActivationHistory = z.looseObject({
  schoolYearStart: isoDate,
  /**
   * The directory's own current date (its clock, which may differ from the client's). Optional for directories that
   * predate it: the client then takes the last day's date.
   */
  today: isoDate.optional(),
  days: z.array(ActivationDay),
});
export type ActivationHistory = z.infer<typeof ActivationHistory>;

// ---------------------------------------------------------------- admin (demo directory only)

export const AdminAdvanceRequest = z.object({ days: z.number().int().min(1).max(366) });
export const AdminAdvanceResponse = z.looseObject({ today: isoDate, seq: z.number().int().nonnegative() });
export type AdminAdvanceResponse = z.infer<typeof AdminAdvanceResponse>;

export const AdminTotals = z.looseObject({
  uai: z.string(),
  pupils: z.number().int().nonnegative(),
  guardians: z.number().int().nonnegative(),
  links: z.number().int().nonnegative(),
  accounts: z.number().int().nonnegative(),
  identityChanges: z.number().int().nonnegative(),
  settings: z.number().int().nonnegative(),
  /** Latest server sequence for this establishment (0 when empty). */
  seq: z.number().int().nonnegative(),
});
export type AdminTotals = z.infer<typeof AdminTotals>;

/** `GET /v1/establishments/{uai}/totals`: the directory's own live counts, for the client's count check. */
export const EstablishmentTotals = AdminTotals;
export type EstablishmentTotals = AdminTotals;

export const AdminFaultsRequest = z.object({ spec: z.string() });
