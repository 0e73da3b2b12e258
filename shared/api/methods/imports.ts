/**
 * imports.*: the school's own base (SIECLE exports, ONDE extraction, a generic CSV) read, previewed against the school
 * records and the directory, then applied at once. Scripts rely on `imports.preview` and `imports.apply`.
 */
import { z } from 'zod';
import { IdentityField, PersonKind } from '../../directory/wire';
import { ExportOverwrite, ExportPath } from '../export-file';
import { method, Uai, byRecord, byUai, type MethodSpec } from '../spec';
import { JobId } from './jobs';

/** Why a file is refused as a whole (`details.reason` of an INVALID_FILE error; nothing is read into the app). */
export const IMPORT_REFUSALS = [
  'not-found',
  'not-a-file',
  'unreadable',
  'empty',
  'too-large',
  'wrong-type',
  'unknown-xml',
  'malformed',
  'truncated',
  'dtd',
  'entity',
  'encoding-unsupported',
  'encoding-mismatch',
  'other-establishment',
  'uai-invalid',
  'zip',
  'duplicate-kind',
  'mixed-sources',
  'mapping-required',
  'csv-malformed',
  'no-data',
] as const;
export type ImportRefusal = (typeof IMPORT_REFUSALS)[number];

/** What an import finds wrong in a record, without refusing the file. */
export const IMPORT_PROBLEM_CODES = [
  'ine-invalid',
  'ine-missing',
  'ine-duplicate',
  'id-duplicate',
  'id-missing',
  'date-invalid',
  'sex-invalid',
  'name-missing',
  'mobile-invalid',
  'email-invalid',
  'no-legal-guardian',
  'many-legal-guardians',
  'mobile-shared',
  'unknown-pupil',
  'unknown-person',
  'unknown-address',
  'level-invalid',
  'mef-unknown',
  'child-not-found',
  'child-ambiguous',
  'matched-by-name',
  'match-conflict',
  'entry-ignored',
  'row-malformed',
] as const;
export const ImportProblemCode = z.enum(IMPORT_PROBLEM_CODES);
export type ImportProblemCode = z.infer<typeof ImportProblemCode>;

export const ImportProblem = z.object({
  /** The file's name (and the entry's, inside an archive: « export.zip › ElevesSansAdresses.xml »). */
  file: z.string(),
  /** Line, element or row, in French (« ligne 812, élève 1000042 »). */
  where: z.string(),
  code: ImportProblemCode,
  /** `error`: the record or link was left out; `warning`: imported as is, to be checked. */
  severity: z.enum(['error', 'warning']),
  message: z.string(),
});
export type ImportProblem = z.infer<typeof ImportProblem>;

export const ImportSource = z.enum(['siecle', 'onde', 'csv']);
export type ImportSource = z.infer<typeof ImportSource>;

export const ImportFileKind = z.enum([
  'siecle-eleves',
  'siecle-responsables',
  'siecle-nomenclature',
  'siecle-structures',
  'onde-eleves',
  'onde-responsables',
  'csv',
]);
export type ImportFileKind = z.infer<typeof ImportFileKind>;

export const ImportFile = z.object({ name: z.string(), kind: ImportFileKind, bytes: z.number().int().nonnegative() });
export type ImportFile = z.infer<typeof ImportFile>;

export const ImportCounts = z.object({
  /** Pupils in the files, those who left included. */
  pupils: z.number().int().nonnegative(),
  /** Pupils the files mark as gone (DATE_SORTIE, class « Inactifs »). */
  pupilsLeft: z.number().int().nonnegative(),
  guardians: z.number().int().nonnegative(),
  links: z.number().int().nonnegative(),
  /** Persons the school records do not hold yet. */
  new: z.number().int().nonnegative(),
  /** Persons one of whose school-record values is replaced. */
  changed: z.number().int().nonnegative(),
  /** Persons whose school record only gains values it did not hold (the first import completes the records made from
   * the directory with INE, class, address…). */
  completed: z.number().int().nonnegative(),
  /** Persons who leave the school base: newly marked as gone, or absent from a file that lists their kind. */
  left: z.number().int().nonnegative(),
  unchanged: z.number().int().nonnegative(),
  /** Differences with the directory that become review items (origin `import`). */
  differences: z.number().int().nonnegative(),
});
export type ImportCounts = z.infer<typeof ImportCounts>;

/** `unchanged`: listed only for its differences with the directory (its record may have been completed). */
export const ImportChangeStatus = z.enum(['new', 'changed', 'left', 'unchanged']);
export type ImportChangeStatus = z.infer<typeof ImportChangeStatus>;

export const ImportFieldChange = z.object({ field: z.string(), before: z.string().nullable(), after: z.string().nullable() });
export type ImportFieldChange = z.infer<typeof ImportFieldChange>;

/** A difference between the imported school record and the directory: a review item of origin `import`. */
export const ImportDifference = z.object({ field: IdentityField, school: z.string().nullable(), directory: z.string().nullable() });
export type ImportDifference = z.infer<typeof ImportDifference>;

/** One person the import adds, changes or marks as gone, with the fields that change in the school record. */
export const ImportChange = z.object({
  personKind: PersonKind,
  /** The directory id, or a local id (`imp-…`) for a person the directory does not know yet. */
  personId: z.string(),
  label: z.string(),
  status: ImportChangeStatus,
  ine: z.string().nullable(),
  division: z.string().nullable(),
  fields: z.array(ImportFieldChange),
  /** The differences with the directory that go to the review queue. */
  differences: z.array(ImportDifference),
});
export type ImportChange = z.infer<typeof ImportChange>;

export const ImportPreview = z.object({
  previewId: z.string(),
  uai: z.string(),
  source: ImportSource,
  files: z.array(ImportFile),
  counts: ImportCounts,
  problems: z.array(ImportProblem),
  createdAt: z.string(),
  /** When these very files were already applied to the establishment (re-importing them changes nothing). */
  sameFilesAppliedAt: z.string().nullable(),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const ImportHistoryEntry = z.object({
  previewId: z.string(),
  source: ImportSource,
  files: z.array(ImportFile),
  counts: ImportCounts,
  problems: z.number().int().nonnegative(),
  state: z.enum(['ready', 'applied', 'discarded']),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  appliedAt: z.string().nullable(),
  appliedBy: z.string().nullable(),
  reviewItems: z.number().int().nonnegative().nullable(),
});
export type ImportHistoryEntry = z.infer<typeof ImportHistoryEntry>;

/** The school-base fields a generic CSV column may hold: the pupil's, and up to two legal guardians' per row. */
export const CSV_PUPIL_FIELDS = [
  'id', 'ine', 'lastName', 'usageName', 'firstName', 'firstName2', 'birthDate', 'sex', 'birthCity', 'mef', 'division', 'email', 'leftDate',
] as const;
export const CSV_GUARDIAN_FIELDS = [
  'civility', 'lastName', 'usageName', 'firstName', 'email', 'mobile', 'phoneHome', 'address', 'postalCode', 'city',
] as const;
export const CSV_FIELDS = [
  ...CSV_PUPIL_FIELDS.map((f) => `pupil.${f}` as const),
  ...CSV_GUARDIAN_FIELDS.map((f) => `guardian1.${f}` as const),
  ...CSV_GUARDIAN_FIELDS.map((f) => `guardian2.${f}` as const),
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

const Header = z.string().trim().min(1, 'Nom de colonne vide.').max(200, 'Nom de colonne trop long.');

/** Which column of the CSV holds each field (by its header); fields left out are not in the file. */
export const CsvMappingDraft = z
  .object(Object.fromEntries(CSV_FIELDS.map((f) => [f, Header.optional()])) as Record<CsvField, z.ZodOptional<typeof Header>>)
  .strict();

/** A mapping that can be used: at least the pupil's name, first name and birth date. */
export const CsvMapping = CsvMappingDraft.superRefine((mapping, ctx) => {
    for (const field of ['pupil.lastName', 'pupil.firstName', 'pupil.birthDate'] as const) {
      if (!mapping[field]) ctx.addIssue({ code: 'custom', path: [field], message: 'Colonne obligatoire : nom, prénom et date de naissance de l’élève.' });
    }
});
export type CsvMapping = z.infer<typeof CsvMapping>;

const FilePath = z.string().trim().min(1, 'Chemin du fichier obligatoire.').max(4096, 'Chemin trop long.');
const PreviewId = z.string().trim().min(1, 'Identifiant d’aperçu obligatoire.').max(100);

export const importsMethods = {
  'imports.preview': method({
    permission: 'administration',
    scope: byUai(),
    summary:
      'Reads SIECLE exports (.xml or .zip), an ONDE extraction or a mapped CSV (absolute paths), checks them and compares ' +
      'them with the school records and the directory; nothing is applied. A job: progress, cancel.',
    mutation: false,
    audited: true,
    input: z.object({ uai: Uai, files: z.array(FilePath).min(1, 'Choisissez au moins un fichier.').max(10, 'Au plus 10 fichiers à la fois.'), jobId: JobId.optional() }).strict(),
    output: ImportPreview,
  }),
  'imports.changes': method({
    permission: 'administration',
    scope: byRecord('importPreview', (input: { previewId: string }) => [input.previewId]),
    summary: 'The persons a preview adds, changes or marks as gone, with their field changes, paged.',
    mutation: false,
    input: z
      .object({
        previewId: PreviewId,
        status: ImportChangeStatus.optional(),
        personKind: PersonKind.optional(),
        offset: z.number().int().min(0).optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    output: z.object({ total: z.number().int().nonnegative(), items: z.array(ImportChange) }),
  }),
  'imports.apply': method({
    permission: 'administration',
    scope: byRecord('importPreview', (input: { previewId: string }) => [input.previewId]),
    summary:
      'Applies a preview in one transaction (all or nothing): school records (origin import), review items for the ' +
      'differences with the directory (origin import). Counts are recomputed against the data of that moment.',
    mutation: true,
    input: z.object({ previewId: PreviewId, jobId: JobId.optional() }).strict(),
    output: z.object({ applied: z.literal(true), reviewItems: z.number().int().nonnegative(), counts: ImportCounts }),
  }),
  'imports.report': method({
    permission: 'administration',
    scope: byRecord('importPreview', (input: { previewId: string }) => [input.previewId]),
    summary: 'Writes the import report (.xlsx: summary, changes, problems, review items) at an absolute path; an existing file only with overwrite.',
    mutation: false,
    audited: true,
    input: z.object({ previewId: PreviewId, path: ExportPath, overwrite: ExportOverwrite }).strict(),
    output: z.object({ path: z.string(), rows: z.number().int().nonnegative() }),
  }),
  'imports.history': method({
    permission: 'administration',
    scope: byUai(),
    summary: 'The latest imports of one establishment (previews, applied or not), newest first.',
    mutation: false,
    input: z.object({ uai: Uai, limit: z.number().int().min(1).max(100).optional() }).strict(),
    output: z.array(ImportHistoryEntry),
  }),
  'imports.csvColumns': method({
    permission: 'administration',
    scope: byUai(),
    summary: 'The columns of a CSV file, its first rows, and the mapping saved for the establishment or a suggested one.',
    mutation: false,
    input: z.object({ uai: Uai, file: FilePath }).strict(),
    output: z.object({
      name: z.string(),
      headers: z.array(z.string()),
      sample: z.array(z.array(z.string())),
      /** The saved mapping when the file has all its columns, else a suggestion from the column names. */
      mapping: CsvMappingDraft,
      saved: z.boolean(),
    }),
  }),
  'imports.saveMapping': method({
    permission: 'administration',
    scope: byUai(),
    summary: 'Saves, for one establishment, which CSV column holds each field (used by every later CSV import).',
    mutation: true,
    input: z.object({ uai: Uai, mapping: CsvMapping }).strict(),
    output: z.object({ saved: z.literal(true) }),
  }),
} satisfies Record<string, MethodSpec>;
