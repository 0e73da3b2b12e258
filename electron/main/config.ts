/**
 * Launch options of the Electron shell, as pure functions of argv and the environment so they are testable
 * under plain Node (this file must not import `electron`).
 */
import { isAbsolute, join, resolve } from 'node:path';
import { checkDirectoryOption } from '../core/directory/endpoint';

/** Environment variable that points the app at another data folder (tests, several establishments' mirrors). */
export const DATA_DIR_ENV = 'EDUCONNECT_DESK_DATA_DIR';

export type DirectoryOption = { ok: true; directory: string } | { ok: false; value: string; message: string };

/**
 * Reads `--directory URL` or `--directory=URL`; `demo` (the embedded demo directory) when absent. A URL must be
 * https, or http to this machine only (see core/directory/endpoint.ts); `message` says why one is refused.
 */
export function parseDirectoryOption(argv: readonly string[]): DirectoryOption {
  let value: string | undefined;
  argv.forEach((arg, index) => {
    if (arg === '--directory') value = argv[index + 1];
    else if (arg.startsWith('--directory=')) value = arg.slice('--directory='.length);
  });
  const checked = checkDirectoryOption(value ?? 'demo');
  return checked.ok ? { ok: true, directory: checked.url } : { ok: false, value: value ?? '', message: checked.message };
}

export interface DataLocation {
  /** Folder the core keeps its SQLite file in. */
  dataDir: string;
  /** Replacement for Electron's userData (Chromium profile, single-instance lock), or null to keep the default. */
  userDataOverride: string | null;
}

/**
 * The data folder is `<userData>/data` unless EDUCONNECT_DESK_DATA_DIR names another one. An overridden folder also
 * gets its own Chromium profile next to the data, so the single-instance lock is per data folder: a test run or a
 * second mirror never collides with the secretary's running app.
 */
export function resolveDataLocation(env: NodeJS.ProcessEnv, userDataPath: string, cwd = process.cwd()): DataLocation {
  const override = env[DATA_DIR_ENV]?.trim();
  if (!override) return { dataDir: join(userDataPath, 'data'), userDataOverride: null };
  const dataDir = isAbsolute(override) ? override : resolve(cwd, override);
  return { dataDir, userDataOverride: join(dataDir, 'electron-profile') };
}
