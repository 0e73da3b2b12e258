/**
 * Files the desktop shell opens for the user: the native open dialog (imports) and the system viewer (a PDF to print,
 * an export to check). Handing a path to the OS is running whatever the OS associates with it — an .exe, a .desktop
 * file or a script would be executed — so system.openFile opens documents only (PDF, .xlsx, CSV), and only the app's
 * own: a file inside the data folder, or one the app wrote since it started. Links are resolved first, so a link
 * named `lettre.pdf` pointing at a program, or out of the data folder, is refused.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { extname, isAbsolute, resolve, sep } from 'node:path';
import type { MethodName, MethodOutput } from '../../../shared/api/contract';
import type { OpenFileFilter } from '../../../shared/api/methods/system';
import { ApiError } from '../../../shared/api/errors';
import { systemStrings as s } from './strings';

/** What the desktop shell adds to the core for these methods (absent in the browser host). */
export interface DesktopFilesHost {
  /** Shows the native "Ouvrir" dialog; the chosen paths, none when the user cancels. */
  chooseOpenFiles(request: { filters: OpenFileFilter[]; multiple: boolean }): Promise<string[]>;
  /** Opens the file in the application the OS associates with it; rejects with the OS's reason. */
  openPath(path: string): Promise<void>;
}

/** The documents the app writes and may show in the system viewer. Never an executable type. */
export const OPENABLE_EXTENSIONS: ReadonlySet<string> = new Set(['.pdf', '.xlsx', '.csv']);

/** The methods whose output names the file they wrote (`path`) or the files (`files`): checked by the compiler. */
type WritesFiles<M extends MethodName> = M extends MethodName
  ? MethodOutput<M> extends { path: string } | { files: string[] }
    ? M
    : never
  : never;

/** The contract methods that write files at the `path` or `files` they return: what they wrote may be opened afterwards. */
export const FILE_WRITING_METHODS = ['accounts.export', 'audit.export', 'review.handoffExport', 'letters.issue', 'stats.exportXlsx', 'imports.report'] as const satisfies readonly WritesFiles<MethodName>[];

/** How many written files are remembered: the recent ones are those a user opens. */
const REMEMBERED = 100;

const realFile = (path: string): string | null => {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
};

/** Case-insensitive on Windows and macOS (their usual file systems), exact elsewhere. */
const samePath = (platform: NodeJS.Platform) => (path: string) => (platform === 'linux' ? path : path.toLowerCase());

/** The files this run of the app wrote (exports, letters), by their real path. */
export class WrittenFiles {
  private readonly paths = new Set<string>();
  private readonly key: (path: string) => string;

  constructor(platform: NodeJS.Platform = process.platform) {
    this.key = samePath(platform);
  }

  /** Remembers a file just written; a path that does not exist (a cancelled export) is ignored. */
  remember(path: string): void {
    const real = realFile(path);
    if (real === null) return;
    const key = this.key(real);
    this.paths.delete(key);
    this.paths.add(key);
    if (this.paths.size > REMEMBERED) this.paths.delete(this.paths.values().next().value!);
  }

  has(realPath: string): boolean {
    return this.paths.has(this.key(realPath));
  }
}

/**
 * The real path of a file the app may open in the system viewer, or the French reason it may not. Checked on the
 * resolved path: its type, that it is a file, and that it lies in the data folder or was written by the app.
 */
export function openableFile(
  requested: string,
  options: { dataDir: string; written: WrittenFiles; platform?: NodeJS.Platform },
): string {
  if (!isAbsolute(requested)) throw new ApiError('INVALID_INPUT', s.openFile.notAbsolute);
  const real = realFile(requested);
  if (real === null) throw new ApiError('NOT_FOUND', s.openFile.notFound(requested));
  if (!lstatSync(real).isFile()) throw new ApiError('FORBIDDEN', s.openFile.notAFile);
  if (!OPENABLE_EXTENSIONS.has(extname(real).toLowerCase())) throw new ApiError('FORBIDDEN', s.openFile.typeRefused);
  const key = samePath(options.platform ?? process.platform);
  const dataDir = realFile(options.dataDir) ?? resolve(options.dataDir);
  const inDataDir = key(real).startsWith(key(dataDir + sep));
  if (!inDataDir && !options.written.has(real)) throw new ApiError('FORBIDDEN', s.openFile.notTheAppsFile);
  return real;
}

/** Keeps, of the paths an open dialog returned, those of the types it offered (GTK lets users type any name). */
export function matchingFilters(paths: readonly string[], filters: readonly OpenFileFilter[]): string[] {
  const allowed = new Set(filters.flatMap((f) => f.extensions.map((e) => `.${e.toLowerCase()}`)));
  return paths.filter((path) => allowed.has(extname(path).toLowerCase()));
}
