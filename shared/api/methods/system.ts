/** system.*: the application's own state, and what only the desktop shell offers (native dialogs, the system viewer). */
import { z } from 'zod';
import { method, NoInput, Uai, type MethodSpec, byOperator } from '../spec';

export const TableCount = z.object({ table: z.string(), rows: z.number().int().nonnegative() });

export const SystemStatus = z.object({
  appVersion: z.string(),
  host: z.enum(['electron', 'browser']),
  dataDir: z.string(),
  databaseFile: z.string(),
  schemaVersion: z.number().int().nonnegative(),
  latestSchemaVersion: z.number().int().nonnegative(),
  directory: z.string(),
  startedAt: z.iso.datetime(),
  nodeVersion: z.string(),
  sqliteVersion: z.string(),
  tables: z.array(TableCount),
});
export type SystemStatus = z.infer<typeof SystemStatus>;

/** The files the app exports; each has a French base name for the suggested file (electron/core/system/strings.ts). */
export const EXPORT_NAMES = ['accounts-pupil', 'accounts-guardian', 'audit', 'handoff', 'statistics', 'import-report'] as const;
export const ExportName = z.enum(EXPORT_NAMES);
export type ExportName = z.infer<typeof ExportName>;
export const ExportFileFormat = z.enum(['xlsx', 'csv']);

export const ExportTarget = z.object({
  /** Absolute path suggested for the file: the Documents folder (else home), a dated French name, never an existing file. */
  path: z.string(),
  directory: z.string(),
  fileName: z.string(),
  /** True when this host can show the native "Enregistrer sous…" dialog (system.chooseSaveFile); false in the browser host. */
  saveDialog: z.boolean(),
});
export type ExportTarget = z.infer<typeof ExportTarget>;

/** A file type offered by the open dialog: its French label and its extensions, without the dot. */
export const OpenFileFilter = z
  .object({
    name: z.string().trim().min(1, 'Libellé du type de fichier obligatoire.').max(100),
    extensions: z
      .array(z.string().regex(/^[A-Za-z0-9]{1,10}$/, 'Extension invalide : lettres et chiffres seulement, sans le point.'))
      .min(1)
      .max(20),
  })
  .strict();
export type OpenFileFilter = z.infer<typeof OpenFileFilter>;

export const systemMethods = {
  'system.status': method({
    permission: 'public',
    scope: byOperator,
    summary: 'Application state: version, data folder, schema version and row counts per table.',
    mutation: false,
    input: NoInput,
    output: SystemStatus,
  }),
  'system.exportTarget': method({
    permission: 'read',
    scope: byOperator,
    summary:
      'Suggests where to write an export: an absolute path in the Documents folder (else home) with a dated French file name.',
    mutation: false,
    input: z
      .object({
        name: ExportName,
        format: ExportFileFormat,
        /** Added to the file name, so the exports of several establishments do not overwrite each other. */
        uai: Uai.optional(),
      })
      .strict(),
    output: ExportTarget,
  }),
  'system.chooseSaveFile': method({
    permission: 'read',
    scope: byOperator,
    summary:
      'Desktop only: shows the native "Enregistrer sous…" dialog filtered on the format; {path: null} when cancelled. ' +
      'UNAVAILABLE in the browser host.',
    mutation: false,
    input: z
      .object({
        /** Where the dialog opens (a suggestion from system.exportTarget or the path typed so far). */
        defaultPath: z.string().trim().min(1).max(1000),
        format: ExportFileFormat,
      })
      .strict(),
    output: z.object({ path: z.string().nullable() }),
  }),
  'system.chooseOpenFiles': method({
    permission: 'read',
    scope: byOperator,
    summary:
      'Desktop only: shows the native "Ouvrir" dialog offering only the given file types (one file, or several with ' +
      'multiple); {paths: []} when cancelled. UNAVAILABLE in the browser host.',
    mutation: false,
    input: z
      .object({
        filters: z.array(OpenFileFilter).min(1).max(10),
        multiple: z.boolean().default(false),
      })
      .strict(),
    output: z.object({ paths: z.array(z.string()) }),
  }),
  'system.openFile': method({
    permission: 'read',
    scope: byOperator,
    summary:
      'Desktop only: opens a PDF, .xlsx or CSV file in the system viewer (to print it, for instance); only a file of ' +
      'the data folder or one the app wrote since it started. UNAVAILABLE in the browser host.',
    mutation: false,
    input: z.object({ path: z.string().trim().min(1, 'Chemin du fichier obligatoire.').max(4096) }).strict(),
    /** The file actually opened (links resolved). */
    output: z.object({ path: z.string() }),
  }),
} satisfies Record<string, MethodSpec>;

export const systemEvents = {
  'system.notice': z.object({
    level: z.enum(['info', 'warning', 'error']),
    message: z.string(),
  }),
} satisfies Record<string, z.ZodType>;
