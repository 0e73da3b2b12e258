/**
 * The file every export method writes (accounts, hand-off, audit trail, and the coming letters and statistics): the
 * input fields they share and the reasons a path is refused. The checks that need the file system are the core's
 * (electron/core/exports/file.ts), in the handler, so that a refusal is recorded in the audit trail like any outcome.
 */
import { z } from 'zod';

export const EXPORT_FILE_FORMATS = ['xlsx', 'csv', 'pdf'] as const;
export type ExportFileFormat = (typeof EXPORT_FILE_FORMATS)[number];

/** The absolute path of the file to write; checked by the core (absolute, extension, existing folder, no link). */
export const ExportPath = z.string().trim().min(1, 'Chemin du fichier obligatoire.').max(4096, 'Chemin du fichier trop long.');

/** Replace an existing file at the path; without it, an existing file is refused (CONFLICT, reason `exists`). */
export const ExportOverwrite = z
  .boolean()
  .optional()
  .describe('true to replace an existing regular file (never a symbolic link); without it an existing file is refused with CONFLICT, details.reason "exists".');

/** `details.reason` of a refused export path (code INVALID_INPUT, or CONFLICT for `exists`). */
export const EXPORT_REFUSALS = [
  'relative',
  'control-characters',
  'extension',
  'folder-missing',
  'not-a-folder',
  'is-directory',
  'symlink',
  'not-a-file',
  'exists',
  'not-writable',
] as const;
export type ExportRefusal = (typeof EXPORT_REFUSALS)[number];

/** True for the refusal the UI answers by asking whether to replace the file (then sends `overwrite: true`). */
export function isExistingFileRefusal(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, details } = error as { code?: unknown; details?: unknown };
  return code === 'CONFLICT' && typeof details === 'object' && details !== null && (details as { reason?: unknown }).reason === 'exists';
}
