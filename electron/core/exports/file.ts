/**
 * The one way an export of personal data reaches the disk (accounts, hand-off, audit trail, and the coming letters
 * and statistics):
 * - the path is checked first: absolute, no control character, the format's extension, an existing folder (never
 *   created), not a folder, not a symbolic link, and not an existing file unless `overwrite` is asked for;
 * - the content goes to a temporary file next to the target with a random name, created exclusively (O_EXCL, 0600,
 *   files.ts), so a link planted at a guessable name is never followed; it is fsynced and closed, then takes the
 *   target's name;
 * - a failed or cancelled export removes its temporary file: it leaves no file behind, and an existing file it was
 *   asked to replace stays as it was.
 * Refusals are ApiErrors with `details.reason` (shared/api/export-file.ts): INVALID_INPUT, or CONFLICT for `exists`.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, fsyncSync, linkSync, lstatSync, openSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ExportFileFormat, ExportRefusal } from '../../../shared/api/export-file';
import { ApiError } from '../../../shared/api/errors';
import { openExclusivePrivateFile } from '../files';
import { exportFileStrings as s } from './strings';

export interface ExportFileRequest {
  path: string;
  format: ExportFileFormat;
  /** Replace an existing regular file; never a symbolic link, a folder or anything else. */
  overwrite?: boolean;
}

/** What a writer reports: a cancelled export is discarded. */
export interface ExportWriteOutcome {
  cancelled?: boolean;
}

// Control characters (C0, DEL, C1): invisible in a dialog, and a newline in a name breaks every log and listing.
const CONTROL = /\p{Cc}/u;

const refuse = (reason: ExportRefusal, message: string, path: string): ApiError =>
  new ApiError(reason === 'exists' ? 'CONFLICT' : 'INVALID_INPUT', message, { reason, path });

const lstatOrNull = (path: string): Stats | null => {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};

/** Checks the target as described above and returns it absolute and normalised; writes nothing, creates nothing. */
export function checkExportTarget({ path, format, overwrite = false }: ExportFileRequest): string {
  if (CONTROL.test(path)) throw refuse('control-characters', s.controlCharacters, path);
  if (!isAbsolute(path)) throw refuse('relative', s.relative, path);
  const full = resolve(path);
  if (extname(full).toLowerCase() !== `.${format}`) throw refuse('extension', s.extension(format), full);
  const folder = dirname(full);
  // The folder itself may be a link (a Documents folder moved to another disk): the user chose it.
  let folderStats: Stats;
  try {
    folderStats = statSync(folder);
  } catch {
    throw refuse('folder-missing', s.folderMissing(folder), full);
  }
  if (!folderStats.isDirectory()) throw refuse('not-a-folder', s.notAFolder(folder), full);
  const target = lstatOrNull(full);
  if (target === null) return full;
  if (target.isSymbolicLink()) throw refuse('symlink', s.symlink(full), full);
  if (target.isDirectory()) throw refuse('is-directory', s.isDirectory(full), full);
  if (!target.isFile()) throw refuse('not-a-file', s.notAFile(full), full);
  if (!overwrite) throw refuse('exists', s.exists(full), full);
  return full;
}

/** A name nobody can guess, hidden, in the target's folder (a rename never crosses file systems). */
export function temporaryPath(target: string): string {
  return join(dirname(target), `.${basename(target).slice(0, 80)}.${randomBytes(12).toString('hex')}.part`);
}

/** File system errors as the user can act on them; the technical detail stays in the message for support. */
function writeError(error: unknown, target: string): ApiError {
  if (error instanceof ApiError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return refuse('not-writable', s.notWritable(dirname(target)), target);
  }
  return new ApiError('INTERNAL', s.writeFailed(error instanceof Error ? error.message : String(error)), { reason: 'write', path: target });
}

/**
 * Gives the finished temporary file the target's name. Without `overwrite` a hard link does it, which fails if a file
 * appeared at the name since the check, instead of replacing it; file systems without hard links (FAT, some shares)
 * get a last check and a rename. A rename replaces a link planted at the name meanwhile, never what it points to.
 */
function commit(temp: string, target: string, overwrite: boolean): void {
  if (overwrite) {
    renameSync(temp, target);
    return;
  }
  try {
    linkSync(temp, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw refuse('exists', s.exists(target), target);
    if (lstatOrNull(target) !== null) throw refuse('exists', s.exists(target), target);
    renameSync(temp, target);
    return;
  }
  rmSync(temp, { force: true });
}

/** Makes the new name durable where the platform allows opening a folder (not Windows). */
function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort: the file itself is already on disk.
  }
}

/**
 * Checks the target, then lets `write` fill a private temporary file through `out` (it may end the stream or leave
 * that to this function), and gives the file the target's name unless the writer reports a cancel or fails.
 */
export async function writeExportFile(
  request: ExportFileRequest,
  write: (out: Writable) => Promise<ExportWriteOutcome | void>,
): Promise<{ path: string; cancelled: boolean }> {
  const path = checkExportTarget(request);
  const temp = temporaryPath(path);
  let fd: number;
  try {
    fd = openExclusivePrivateFile(temp);
  } catch (error) {
    throw writeError(error, path);
  }
  // The stream owns the descriptor: it fsyncs it (flush) before closing it, once finished or destroyed.
  const out = createWriteStream(temp, { fd, flush: true });
  let streamError: unknown = null;
  out.on('error', (error) => {
    streamError ??= error;
  });
  let committed = false;
  try {
    const outcome = await write(out);
    if (!out.writableEnded) out.end();
    // Resolves once the file is flushed to disk and closed.
    await finished(out);
    if (streamError !== null) throw streamError;
    if (outcome?.cancelled) return { path, cancelled: true };
    commit(temp, path, request.overwrite === true);
    committed = true;
    syncFolder(dirname(path));
    return { path, cancelled: false };
  } catch (error) {
    throw writeError(error, path);
  } finally {
    if (!out.closed) {
      out.destroy();
      // Closed before removed (Windows cannot remove an open file).
      await finished(out).catch(() => undefined);
    }
    if (!committed) rmSync(temp, { force: true });
  }
}
