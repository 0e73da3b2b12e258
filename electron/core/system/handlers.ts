/** The system.* methods: the application's state, and where exports go (with the desktop's save dialog). */
import type { Database } from 'better-sqlite3';
import { ApiError } from '../../../shared/api/errors';
import type { Handlers } from '../dispatcher';
import { defaultExportDirectory, dialogStartPath, suggestExportFile, withExtension, type SaveDialogHost } from './export-target';
import { systemStatus, type StatusSource } from './status';
import { systemStrings as s } from './strings';

export interface SystemOptions extends Omit<StatusSource, 'db'> {
  db: Database;
  /** The desktop shell's save dialog; absent in the browser host, where system.chooseSaveFile answers UNAVAILABLE. */
  saveDialog?: SaveDialogHost;
  now?: () => Date;
}

export function systemHandlers(options: SystemOptions): Pick<Handlers, 'system.status' | 'system.exportTarget' | 'system.chooseSaveFile'> {
  const { saveDialog } = options;
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
  };
}
