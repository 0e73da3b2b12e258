/** review.*: the identity-change review queue (the head decides what enters the school's records) and its hand-off. */
import { z } from 'zod';
import { IdentityChangeSource, IdentityField, PersonKind } from '../../directory/wire';
import { REVIEW_STATES } from '../../domain/review';
import { method, Uai, type MethodSpec, byUai } from '../spec';
import { ExportOverwrite, ExportPath } from '../export-file';
import { JobId } from './jobs';

export const ReviewState = z.enum(REVIEW_STATES);
export type ReviewStateName = z.infer<typeof ReviewState>;

/** Where the decision stands with the directory: `none` when there is nothing to send (defer, contact difference). */
export const ReviewSync = z.enum(['none', 'pending', 'sent', 'failed', 'conflict']);

export const ReviewItem = z.object({
  id: z.number().int(),
  uai: z.string(),
  personKind: PersonKind,
  personId: z.string(),
  /** "NOM Prénom" from the school record. */
  personLabel: z.string(),
  /** The person is absent from the mirror (left, deleted, or not synced yet): the item stays visible. */
  orphan: z.boolean(),
  /** The pupil's class, or the classes of a guardian's children. */
  divisions: z.array(z.string()),
  field: IdentityField,
  schoolValue: z.string().nullable(),
  previousValue: z.string().nullable(),
  newValue: z.string().nullable(),
  source: IdentityChangeSource,
  /** `directory`: an identity change; `contact`: an account's email or mobile; `import`: a difference found by an import. */
  origin: z.enum(['directory', 'contact', 'import']),
  detectedAt: z.string(),
  state: ReviewState,
  lowRisk: z.boolean(),
  contactConfirmed: z.boolean(),
  supersededBy: z.number().int().nullable(),
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
  reason: z.string().nullable(),
  sync: ReviewSync,
  /** The decision can still be undone (not yet synced, not keyed into the management software). */
  undoable: z.boolean(),
  keyedAt: z.string().nullable(),
  keyedBy: z.string().nullable(),
});
export type ReviewItem = z.infer<typeof ReviewItem>;

export const ReviewCounts = z.object({
  pending: z.number().int().nonnegative(),
  deferred: z.number().int().nonnegative(),
  conflict: z.number().int().nonnegative(),
  /** Accepted changes not yet keyed into SIECLE/ONDE. */
  toKey: z.number().int().nonnegative(),
  /** Decisions waiting to reach the directory. */
  unsynced: z.number().int().nonnegative(),
});
export type ReviewCounts = z.infer<typeof ReviewCounts>;

const Id = z.number().int().positive();
const Ids = z.array(Id).min(1, 'Aucun élément sélectionné.').max(10_000, 'Au plus 10 000 éléments à la fois.');

export const ReviewListInput = z
  .object({
    uai: Uai,
    state: ReviewState.optional(),
    field: IdentityField.optional(),
    source: IdentityChangeSource.optional(),
    division: z.string().trim().min(1).max(40).optional(),
    personKind: PersonKind.optional(),
    /** Only items detected at least this many days ago. */
    olderThanDays: z.number().int().min(0).max(3650).optional(),
    offset: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).max(500).optional(),
  })
  .strict();

export const ReviewDecideInput = z
  .object({
    id: Id,
    decision: z.enum(['accept', 'reject', 'defer']),
    reason: z.string().trim().max(500, 'Motif trop long (500 caractères au plus).').optional(),
  })
  .strict()
  .superRefine((value, ctx) => {
    if (value.decision === 'reject' && !value.reason) {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Le motif du refus est obligatoire.' });
    }
  });

export const HandoffRow = z.object({
  id: z.number().int(),
  uai: z.string(),
  personKind: PersonKind,
  personId: z.string(),
  personLabel: z.string(),
  /** INE of a pupil; null for a guardian. */
  ine: z.string().nullable(),
  field: IdentityField,
  oldValue: z.string().nullable(),
  newValue: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  keyedAt: z.string().nullable(),
});
export type HandoffRow = z.infer<typeof HandoffRow>;

export const reviewMethods = {
  'review.list': method({
    permission: 'read',
    scope: byUai(),
    summary: 'The review queue of one establishment, filtered and paged, ordered by person: {total, items}.',
    mutation: false,
    input: ReviewListInput,
    output: z.object({ total: z.number().int().nonnegative(), items: z.array(ReviewItem) }),
  }),
  'review.counts': method({
    permission: 'read',
    scope: byUai(),
    summary: 'Pending, deferred and conflicting items, accepted changes to key in, unsynced decisions (the nav badge).',
    mutation: false,
    input: z.object({ uai: Uai }).strict(),
    output: ReviewCounts,
  }),
  'review.decide': method({
    permission: 'identityDecisions',
    scope: { by: 'record', record: 'reviewItem', ids: (input) => [input.id] },
    summary: 'Accepts (applied to the school record), rejects (reason required) or defers one item; sent through the outbox.',
    mutation: true,
    input: ReviewDecideInput,
    output: ReviewItem,
  }),
  'review.undo': method({
    permission: 'identityDecisions',
    scope: { by: 'record', record: 'reviewItem', ids: (input) => [input.id] },
    summary: 'Undoes a decision not yet synced with the directory: the item is pending again, the school record restored.',
    mutation: true,
    input: z.object({ id: Id }).strict(),
    output: ReviewItem,
  }),
  'review.previewBulkAccept': method({
    permission: 'read',
    scope: byUai(),
    summary: 'The pending low-risk items (case, accents or whitespace only; confirmed contact data) bulk acceptance would take.',
    mutation: false,
    input: z.object({ uai: Uai }).strict(),
    output: z.object({ total: z.number().int().nonnegative(), items: z.array(ReviewItem) }),
  }),
  'review.bulkAccept': method({
    permission: 'identityDecisions',
    scope: { by: 'record', record: 'reviewItem', ids: (input) => input.ids },
    summary: 'Accepts the listed pending low-risk items (as previewed); the others are skipped with their reason. A job: progress, cancel.',
    mutation: true,
    input: z.object({ ids: Ids, jobId: JobId.optional() }).strict(),
    output: z.object({
      accepted: z.number().int().nonnegative(),
      skipped: z.array(z.object({ id: z.number().int(), message: z.string() })),
      cancelled: z.boolean(),
    }),
  }),
  'review.handoffList': method({
    permission: 'read',
    scope: byUai(),
    summary: 'Accepted changes not yet keyed into the management software (SIECLE, ONDE or its own).',
    mutation: false,
    input: z.object({ uai: Uai, offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000).optional() }).strict(),
    output: z.object({ total: z.number().int().nonnegative(), items: z.array(HandoffRow) }),
  }),
  'review.handoffExport': method({
    permission: 'exports',
    scope: byUai(),
    summary:
      'Writes the accepted changes to key in as .xlsx or CSV (; separated, UTF-8 with BOM, formulas neutralised) at an ' +
      'absolute path in an existing folder; an existing file only with overwrite.',
    mutation: false,
    audited: true,
    input: z
      .object({
        uai: Uai,
        format: z.enum(['xlsx', 'csv']),
        path: ExportPath,
        overwrite: ExportOverwrite,
      })
      .strict(),
    output: z.object({ path: z.string(), rows: z.number().int().nonnegative() }),
  }),
  'review.markKeyed': method({
    permission: 'identityDecisions',
    scope: { by: 'record', record: 'reviewItem', ids: (input) => input.ids },
    summary: 'Marks accepted changes as keyed ("saisi") into the management software.',
    mutation: true,
    input: z.object({ ids: Ids }).strict(),
    output: z.object({ marked: z.number().int().nonnegative() }),
  }),
} satisfies Record<string, MethodSpec>;

export const reviewEvents = {
  /** After an ingestion or a decision: the establishment's counts (no personal data). */
  'review.changed': z.object({ uai: z.string(), counts: ReviewCounts, newPending: z.number().int().nonnegative() }),
} satisfies Record<string, z.ZodType>;
