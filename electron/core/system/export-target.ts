/**
 * Where an export goes by default: the user's Documents folder (else their home folder) and a dated French file name
 * that does not overwrite an existing file. The folder comes from the host when it knows it (Electron's
 * app.getPath('documents')); the browser host finds it the way desktop environments define it.
 */
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, parse, resolve } from 'node:path';
import type { ExportName } from '../../../shared/api/methods/system';
import { systemStrings as s } from './strings';

export type ExportFormat = 'xlsx' | 'csv';

/** What the desktop shell adds to the core: its native save dialog (absent in the browser host). */
export interface SaveDialogHost {
  /** The OS Documents folder as the shell knows it. */
  documentsDir?: string;
  /** Shows "Enregistrer sous…" opened on `defaultPath`, filtered on the format; null when the user cancels. */
  chooseSaveFile(request: { defaultPath: string; format: ExportFormat }): Promise<string | null>;
}

const isDirectory = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/** Whether anything has this name, a link pointing nowhere included (the export would refuse it: exports/file.ts). */
const taken = (path: string): boolean => {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
};

/** XDG_DOCUMENTS_DIR from ~/.config/user-dirs.dirs (e.g. `"$HOME/Documents"`), when set. */
export function xdgDocumentsDir(configText: string, home: string): string | null {
  const line = configText.split(/\r?\n/).find((l) => /^\s*XDG_DOCUMENTS_DIR\s*=/.test(l));
  if (!line) return null;
  const value = line
    .slice(line.indexOf('=') + 1)
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .replace(/^\$HOME(?=\/|$)/, home);
  // "$HOME/" alone means the desktop has no Documents folder of its own.
  return isAbsolute(value) && resolve(value) !== resolve(home) ? value : null;
}

/** The candidate Documents folders of this platform, best first. */
export function documentsCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string[] {
  if (platform === 'win32') {
    const profile = env.USERPROFILE || home;
    return [join(profile, 'Documents'), ...(env.OneDrive ? [join(env.OneDrive, 'Documents')] : [])];
  }
  if (platform === 'darwin') return [join(home, 'Documents')];
  const candidates: string[] = [];
  try {
    const config = join(env.XDG_CONFIG_HOME || join(home, '.config'), 'user-dirs.dirs');
    const xdg = xdgDocumentsDir(readFileSync(config, 'utf8'), home);
    if (xdg) candidates.push(xdg);
  } catch {
    // No user-dirs.dirs: the usual folder names below.
  }
  candidates.push(join(home, 'Documents'));
  return candidates;
}

/** The first existing Documents folder, else the home folder. */
export function defaultExportDirectory(hostDocuments?: string): string {
  const home = homedir();
  const candidates = [...(hostDocuments ? [hostDocuments] : []), ...documentsCandidates(process.platform, process.env, home)];
  return candidates.find(isDirectory) ?? home;
}

/** YYYY-MM-DD in local time (the day the user sees on their clock). */
export const localDate = (now: Date): string =>
  `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;

/** `comptes-responsables-0750654D-2026-11-29.xlsx`, then `…-2.xlsx`, `…-3.xlsx` while the name is taken. */
export function suggestExportFile(options: {
  directory: string;
  name: ExportName;
  format: ExportFormat;
  uai?: string;
  now: Date;
  exists?: (path: string) => boolean;
}): { path: string; directory: string; fileName: string } {
  const exists = options.exists ?? taken;
  const stem = [s.exportBaseNames[options.name], options.uai, localDate(options.now)].filter(Boolean).join('-');
  for (let n = 1; ; n++) {
    const fileName = `${stem}${n === 1 ? '' : `-${n}`}.${options.format}`;
    const path = join(options.directory, fileName);
    if (!exists(path) || n >= 999) return { path, directory: options.directory, fileName };
  }
}

/**
 * The path the save dialog opens on: the one asked for when it is absolute, else the same file name in the default
 * folder (the renderer may hand over whatever the user typed so far).
 */
export function dialogStartPath(requested: string, directory: string): string {
  return isAbsolute(requested) ? requested : join(directory, parse(requested).base);
}

/** The chosen path with the format's extension (GTK's dialog does not add it from the filter). */
export function withExtension(path: string, format: ExportFormat): string {
  return path.toLowerCase().endsWith(`.${format}`) ? path : `${path}.${format}`;
}
