/**
 * Files at rest on POSIX systems: the data folder is the user's alone (0700), and every file the app writes with
 * personal data in it (the database and its -wal/-shm, backups, exports) is readable and writable by the user only
 * (0600). Windows has no such modes (the profile folder's ACLs protect the data there): these helpers do nothing.
 */
import { chmodSync, closeSync, constants, existsSync, fchmodSync, mkdirSync, openSync, statSync } from 'node:fs';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

const posix = (): boolean => process.platform !== 'win32';

export type FileLog = (message: string) => void;

export const defaultFileLog: FileLog = (message) => console.warn(`[files] ${message}`);

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, '0');

/**
 * Creates `path` empty (or empties it) with mode 0600 before anything is written into it, so its content is never
 * readable by others, not even while it is being written. Writers then open it with 'w', which keeps the mode.
 */
export function createPrivateFile(path: string): void {
  closeSync(openSync(path, 'w', PRIVATE_FILE_MODE));
  // The mode given to open() applies to a new file only, and goes through the umask.
  if (posix()) chmodSync(path, PRIVATE_FILE_MODE);
}

/**
 * Creates a new file for writing with mode 0600 and returns its descriptor; fails (EEXIST) when anything already has
 * that name, a symbolic link included: O_CREAT|O_EXCL never follows a link planted at the name, and O_NOFOLLOW
 * (where the platform has it) says so twice. For temporary files in folders others may write to.
 */
export function openExclusivePrivateFile(path: string): number {
  const flags = constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY | (constants.O_NOFOLLOW ?? 0);
  const fd = openSync(path, flags, PRIVATE_FILE_MODE);
  try {
    // The mode given to open() goes through the umask.
    if (posix()) fchmodSync(fd, PRIVATE_FILE_MODE);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** Lowers an existing file's or folder's mode to `mode` when it lets others in; says so. Returns whether it did. */
export function tighten(path: string, mode: number, log: FileLog = defaultFileLog): boolean {
  if (!posix() || !existsSync(path)) return false;
  const current = statSync(path).mode & 0o777;
  if ((current & ~mode) === 0) return false;
  chmodSync(path, mode);
  log(`${path} was readable by others (mode ${octal(current)}): now ${octal(mode)}`);
  return true;
}

/** Creates the folder (and its parents) as 0700 when missing, and tightens it when it exists with a wider mode. */
export function ensurePrivateDir(path: string, log: FileLog = defaultFileLog): void {
  if (!existsSync(path)) {
    mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
    // mkdir's mode goes through the umask, which may remove bits but never add them: 0700 at most. Say nothing.
    if (posix()) chmodSync(path, PRIVATE_DIR_MODE);
    return;
  }
  tighten(path, PRIVATE_DIR_MODE, log);
}
