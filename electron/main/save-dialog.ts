/**
 * The native "Enregistrer sous…" dialog the core offers as system.chooseSaveFile in the desktop app. The renderer
 * never reaches it directly: it calls the contract method through the one IPC channel, the dispatcher validates the
 * request, and only a path the user picked comes back.
 */
import { app, BrowserWindow, dialog, type SaveDialogOptions } from 'electron';
import type { ExportFormat, SaveDialogHost } from '../core/system/export-target';
import { strings } from './strings';

export function saveDialogOptions(defaultPath: string, format: ExportFormat): SaveDialogOptions {
  return {
    title: strings.saveDialog.title,
    buttonLabel: strings.saveDialog.button,
    defaultPath,
    filters: [{ name: strings.saveDialog.filters[format], extensions: [format] }],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}

/** Modal to the focused window (else the first one), so it cannot get lost behind the app. */
export function electronSaveDialog(): SaveDialogHost {
  return {
    documentsDir: app.getPath('documents'),
    async chooseSaveFile({ defaultPath, format }) {
      const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const options = saveDialogOptions(defaultPath, format);
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
  };
}
