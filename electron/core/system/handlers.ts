/**
 * The system.* methods: the application's state, where exports go (with the desktop's save dialog), the desktop's
 * open dialog and its system viewer.
 */
import type { Database } from 'better-sqlite3';
import { ApiError } from '../../../shared/api/errors';
import type { Handlers } from '../dispatcher';
import { defaultExportDirectory, dialogStartPath, suggestExportFile, withExtension, type SaveDialogHost } from './export-target';
import { matchingFilters, openableFile, type DesktopFilesHost, type WrittenFiles } from './open-files';
import { systemStatus, type StatusSource } from './status';
import { systemStrings as s } from './strings';

export interface SystemOptions extends Omit<StatusSource, 'db'> {
  db: Database;
  /** The desktop shell's save dialog; absent in the browser host, where system.chooseSaveFile answers UNAVAILABLE. */
  saveDialog?: SaveDialogHost;
  /** The desktop shell's open dialog and system viewer; absent in the browser host (UNAVAILABLE there). */
  desktopFiles?: DesktopFilesHost;
  /** The files the app wrote since it started: system.openFile may open them wherever they are. */
  writtenFiles: WrittenFiles;
  now?: () => Date;
}

type SystemMethod = 'system.status' | 'system.exportTarget' | 'system.chooseSaveFile' | 'system.chooseOpenFiles' | 'system.openFile';

export function systemHandlers(options: SystemOptions): Pick<Handlers, SystemMethod> {
  const { saveDialog, desktopFiles } = options;
  const directory = () => defaultExportDirectory(saveDialog?.documentsDir);
  return {
    'system.status': () => systemStatus(options),
    'system.exportTarget': ({ name, format, uai }) => ({
      ...suggestExportFile({ directory: directory(), name, format, uai, now: options.now?.() ?? new Date() }),
      saveDialog: saveDialog !== undefined,
    }),
    'system.chooseSaveFile': async ({ defaultPath, format }) => {
      if (!saveDialog) throw new ApiError('UNAVAILABLE', s.saveDialogUnavailable);
      let chosen: string | null;
      try {
        chosen = await saveDialog.chooseSaveFile({ defaultPath: dialogStartPath(defaultPath, directory()), format });
      } catch (error) {
        console.error('[system] save dialog failed:', error);
        throw new ApiError('UNAVAILABLE', s.saveDialogFailed);
      }
      return { path: chosen === null ? null : withExtension(chosen, format) };
    },
    'system.chooseOpenFiles': async ({ filters, multiple }) => {
      if (!desktopFiles) throw new ApiError('UNAVAILABLE', s.openDialogUnavailable);
      let chosen: string[];
      try {
        chosen = await desktopFiles.chooseOpenFiles({ filters, multiple });
      } catch (error) {
        console.error('[system] open dialog failed:', error);
        throw new ApiError('UNAVAILABLE', s.openDialogFailed);
      }
      return { paths: matchingFilters(multiple ? chosen : chosen.slice(0, 1), filters) };
    },
    'system.openFile': async ({ path }) => {
      if (!desktopFiles) throw new ApiError('UNAVAILABLE', s.openFile.unavailable);
      const file = openableFile(path, { dataDir: options.dataDir, written: options.writtenFiles });
      try {
        await desktopFiles.openPath(file);
      } catch (error) {
        console.error('[system] the system viewer could not open a file:', error);
        throw new ApiError('UNAVAILABLE', s.openFile.failed(error instanceof Error ? error.message : String(error)));
      }
      return { path: file };
    },
  };
}
