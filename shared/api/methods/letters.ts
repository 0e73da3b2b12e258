/** letters.*: credential letters — new temporary passwords printed as PDF letters, their presets, preview and log. */
import { z } from 'zod';
import { LETTER_BLOCK_LIMITS, LETTER_BLOCKS, letterBlockProblem, normalizeBlock, type LetterBlock } from '../../domain/letters';
import { method, Uai, type MethodSpec, byUai, byUaiWithAccountRight } from '../spec';
import { AccountFilters, AccountKind } from './accounts';
import { JobId } from './jobs';

const count = z.number().int().nonnegative();

/** Which accounts: explicit person ids, or every row of a list query (a class, a preset…): exactly one of the two. */
const LetterSelection = {
  uai: Uai,
  kind: AccountKind,
  ids: z.array(z.string().min(1).max(100)).min(1, 'Sélection vide.').max(100_000).optional(),
  query: z.object({ text: z.string().max(200).optional(), filters: AccountFilters.optional() }).strict().optional(),
};
const oneSelection = {
  check: (v: { ids?: unknown; query?: unknown }) => (v.ids === undefined) !== (v.query === undefined),
  message: 'Indiquez soit une sélection de comptes, soit la requête d’une liste.',
};

export const LetterSplit = z.enum(['size', 'class']);

/** Why an account gets no letter (`code` for scripts, `reason` in French). */
export const LetterSkipCode = z.enum([
  'notFound',
  'noAccount',
  'activated',
  'deactivated',
  'deleted',
  'pending',
  'refused',
  'unreachable',
  'cancelled',
]);
export type LetterSkipCode = z.infer<typeof LetterSkipCode>;

const Skipped = z.object({ id: z.string(), displayName: z.string(), code: LetterSkipCode, reason: z.string() });
/** A letter made but worth a look: a guardian without postal address gets it without the window block. */
const Flagged = z.object({ id: z.string(), displayName: z.string(), code: z.literal('noAddress'), reason: z.string() });

const LetterContentSchema = z.object({
  kind: AccountKind,
  header: z.array(z.string()),
  placeDate: z.string(),
  addressee: z.object({ lines: z.array(z.string()), window: z.boolean() }),
  handDelivery: z.string().nullable(),
  subject: z.string(),
  salutation: z.string(),
  intro: z.array(z.string()),
  credentials: z.object({ loginLabel: z.string(), login: z.string(), passwordLabel: z.string(), password: z.string(), hint: z.string() }),
  stepsTitle: z.string(),
  steps: z.array(z.string()),
  validity: z.string(),
  notGuardian: z.object({ text: z.string(), box: z.string() }).nullable(),
  alternativeTitle: z.string(),
  alternative: z.array(z.string()),
  helpTitle: z.string(),
  help: z.array(z.string()),
  signature: z.array(z.string()),
  confidential: z.string(),
});

export const LetterPreview = z.object({
  kind: AccountKind,
  /** Accounts selected, of which `eligible` get a letter once confirmed. */
  selected: count,
  eligible: count,
  skipped: z.array(Skipped),
  flagged: z.array(Flagged),
  /** The first letters as they will print, the password masked (it does not exist before the confirmation). */
  letters: z.array(LetterContentSchema),
  /** The eligible accounts per class (the files of a per-class split). */
  classes: z.array(z.object({ division: z.string(), count })),
  /** The validity end the letters will carry if issued now (the directory sets the exact one). */
  validUntil: z.string(),
  /** The folder suggested for the files (the Documents folder, else home). */
  outputDir: z.string(),
});
export type LetterPreview = z.infer<typeof LetterPreview>;

export const LetterIssueReport = z.object({
  batchId: z.string(),
  /** The PDF files written, absolute paths, in order (none when no letter was made). */
  files: z.array(z.string()),
  /** Letters made: the accounts that got a new temporary password, each printed once. */
  count,
  notified: z.array(z.object({ id: z.string(), displayName: z.string(), login: z.string(), file: z.string() })),
  skipped: z.array(Skipped),
  flagged: z.array(Flagged),
  /** Stopped by « Arrêter »: the letters made so far are in `files`; the rest is in `skipped` (code `cancelled`). */
  cancelled: z.boolean(),
  /** The latest letter end of the batch, as printed. */
  validUntil: z.string().nullable(),
});
export type LetterIssueReport = z.infer<typeof LetterIssueReport>;

export const LETTER_PRESETS = ['guardiansNeverNotified', 'pupils6eNotActivated', 'pupilsLetterExpired', 'guardiansLetterExpired'] as const;
export const LetterPresetId = z.enum(LETTER_PRESETS);

export const LetterPresetInfo = z.object({
  id: LetterPresetId,
  kind: AccountKind,
  label: z.string(),
  description: z.string(),
  /** The list query the preset stands for: send it as letters.issue's `query`. */
  query: z.object({ filters: AccountFilters }),
  /** Accounts it matches now (before the skips: activated, deactivated… accounts are counted then skipped). */
  count,
});
export type LetterPresetInfo = z.infer<typeof LetterPresetInfo>;

const Blocks = z
  .object(Object.fromEntries(LETTER_BLOCKS.map((b) => [b, z.string().min(LETTER_BLOCK_LIMITS[b].minLength).max(2000)])) as Record<LetterBlock, z.ZodString>)
  .strict()
  .superRefine((blocks, ctx) => {
    for (const block of LETTER_BLOCKS) {
      const problem = letterBlockProblem(block, blocks[block]);
      if (problem) ctx.addIssue({ code: 'custom', path: [block], message: problem });
    }
  })
  .transform((blocks) => Object.fromEntries(LETTER_BLOCKS.map((b) => [b, normalizeBlock(blocks[b])])) as Record<LetterBlock, string>);

const LetterBlocksOut = z.object(Object.fromEntries(LETTER_BLOCKS.map((b) => [b, z.string()])) as Record<LetterBlock, z.ZodString>);

export const LetterBatch = z.object({
  batchId: z.string(),
  uai: z.string(),
  kind: AccountKind,
  operator: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** `running` after the app stopped mid-batch: the accounts listed did get a new password. */
  state: z.enum(['running', 'done', 'cancelled', 'failed']),
  validUntil: z.string().nullable(),
  files: z.array(z.string()),
  split: LetterSplit,
  selected: count,
  skipped: count,
  /** The accounts that got a new temporary password, with the file of their letter (never the password). */
  accounts: z.array(z.object({ id: z.string(), accountId: z.string(), login: z.string(), file: z.string(), noAddress: z.boolean(), at: z.string() })),
});
export type LetterBatch = z.infer<typeof LetterBatch>;

export const lettersMethods = {
  'letters.presets': method({
    permission: 'letters',
    scope: byUai(),
    summary:
      'The batch presets (guardians never notified, 6e pupils not activated, letters expired without activation) with ' +
      'their counts, the classes of each list, and the folder suggested for the files.',
    mutation: false,
    input: z.object({ uai: Uai }).strict(),
    output: z.object({
      presets: z.array(LetterPresetInfo),
      divisions: z.object({ pupil: z.array(z.object({ value: z.string(), count })), guardian: z.array(z.object({ value: z.string(), count })) }),
      outputDir: z.string(),
    }),
  }),
  'letters.preview': method({
    permission: 'letters',
    scope: byUai(),
    summary: 'What a batch would do, without doing it: accounts selected, skipped and why, flagged, and the first letters (password masked).',
    mutation: false,
    input: z
      .object({ ...LetterSelection, letters: z.number().int().min(0).max(10).default(3) })
      .strict()
      .refine(oneSelection.check, { message: oneSelection.message }),
    output: LetterPreview,
  }),
  'letters.issue': method({
    permission: 'letters',
    scope: byUaiWithAccountRight(),
    summary:
      'Credential letters for a selection (ids, or every row of a list query): new temporary passwords from the directory ' +
      '(online only), one A4 letter per account in PDF files of at most 500 letters (or one per class) written to ' +
      'outputDir; needs `letters` and the kind\'s account right. Cancellable; the passwords are printed once, never stored.',
    mutation: true,
    input: z
      .object({
        ...LetterSelection,
        /** An existing folder, absolute path: the files are written there (never elsewhere, never created). */
        outputDir: z.string().trim().min(1, 'Dossier obligatoire.').max(4096, 'Chemin du dossier trop long.'),
        split: LetterSplit.default('size'),
        jobId: JobId.optional(),
      })
      .strict()
      .refine(oneSelection.check, { message: oneSelection.message }),
    output: LetterIssueReport,
  }),
  'letters.log': method({
    permission: 'letters',
    scope: byUai(),
    summary: 'The letter log of an establishment, newest first: batch, operator, time, validity end, files and accounts (no password).',
    mutation: false,
    input: z
      .object({ uai: Uai, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(100).default(20) })
      .strict(),
    output: z.object({ total: count, items: z.array(LetterBatch) }),
  }),
  'letters.getTemplate': method({
    permission: 'read',
    scope: byUai(),
    summary: "The letters' editable text blocks of an establishment, the defaults and each block's limits.",
    mutation: false,
    input: z.object({ uai: Uai }).strict(),
    output: z.object({
      blocks: LetterBlocksOut,
      defaults: LetterBlocksOut,
      limits: z.record(z.string(), z.object({ minLength: count, maxLength: count, maxLines: count })),
      updatedAt: z.string().nullable(),
      updatedBy: z.string().nullable(),
    }),
  }),
  'letters.saveTemplate': method({
    permission: 'administration',
    scope: byUai(),
    summary: "Changes the letters' text blocks of an establishment (plain text within each block's limits).",
    mutation: true,
    input: z.object({ uai: Uai, blocks: Blocks }).strict(),
    output: z.object({ blocks: LetterBlocksOut, updatedAt: z.string() }),
  }),
} satisfies Record<string, MethodSpec>;
