/**
 * The native "Ouvrir" dialog and the system viewer the core offers as system.chooseOpenFiles and system.openFile in
 * the desktop app. Which files may be opened is the core's rule (core/system/open-files.ts); this is only the OS call.
 */
import { BrowserWindow, dialog, shell, type OpenDialogOptions } from 'electron';
import type { OpenFileFilter } from '../../shared/api/methods/system';
import type { DesktopFilesHost } from '../core/system/open-files';
import { strings } from './strings';

export function openDialogOptions(filters: readonly OpenFileFilter[], multiple: boolean): OpenDialogOptions {
  return {
    title: multiple ? strings.openDialog.titleMany : strings.openDialog.title,
    buttonLabel: strings.openDialog.button,
    filters: filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
    properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'],
  };
}

/** Modal to the focused window (else the first one), like the save dialog. */
export function electronDesktopFiles(): DesktopFilesHost {
  return {
    async chooseOpenFiles({ filters, multiple }) {
      const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const options = openDialogOptions(filters, multiple);
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return result.canceled ? [] : result.filePaths;
    },
    async openPath(path) {
      // shell.openPath resolves to an error message, empty on success.
      const failure = await shell.openPath(path);
      if (failure) throw new Error(failure);
    },
  };
}
