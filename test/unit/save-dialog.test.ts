/**
 * The Electron shell's save dialog (electron/main/save-dialog.ts). No Electron runtime here: the `electron` module is
 * replaced by a test double (vi.mock) recording what the dialog is asked; test/electron/app.spec.ts covers the real
 * app where a binary is installed.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  focused: null as object | null,
  windows: [] as object[],
  showSaveDialog: vi.fn(),
}));

vi.mock('electron', () => ({
  app: { getPath: (name: string) => (name === 'documents' ? '/home/ana/Documents' : `/home/ana/${name}`) },
  BrowserWindow: { getFocusedWindow: () => electron.focused, getAllWindows: () => electron.windows },
  dialog: { showSaveDialog: electron.showSaveDialog },
}));

const { electronSaveDialog, saveDialogOptions } = await import('../../electron/main/save-dialog');

describe('electron save dialog (electron mocked)', () => {
  beforeEach(() => {
    electron.showSaveDialog.mockReset();
    electron.focused = null;
    electron.windows = [];
  });

  it('asks in French, filtered on the format, confirming overwrites', () => {
    expect(saveDialogOptions('/home/ana/Documents/journal.xlsx', 'xlsx')).toEqual({
      title: 'Enregistrer sous…',
      buttonLabel: 'Enregistrer',
      defaultPath: '/home/ana/Documents/journal.xlsx',
      filters: [{ name: 'Classeur Excel (.xlsx)', extensions: ['xlsx'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    });
    expect(saveDialogOptions('/tmp/a.csv', 'csv').filters).toEqual([{ name: 'CSV (point-virgule, UTF-8)', extensions: ['csv'] }]);
  });

  it('gives the OS Documents folder and opens modal to the focused window', async () => {
    const focused = { id: 1 };
    electron.focused = focused;
    electron.windows = [{ id: 2 }];
    electron.showSaveDialog.mockResolvedValue({ canceled: false, filePath: '/home/ana/Documents/liste.csv' });
    const host = electronSaveDialog();
    expect(host.documentsDir).toBe('/home/ana/Documents');
    expect(await host.chooseSaveFile({ defaultPath: '/home/ana/Documents/l.csv', format: 'csv' })).toBe('/home/ana/Documents/liste.csv');
    expect(electron.showSaveDialog).toHaveBeenCalledWith(focused, expect.objectContaining({ defaultPath: '/home/ana/Documents/l.csv' }));
  });

  it('falls back to the first window, or none; a cancel gives null', async () => {
    const first = { id: 3 };
    electron.windows = [first];
    electron.showSaveDialog.mockResolvedValue({ canceled: true, filePath: '' });
    expect(await electronSaveDialog().chooseSaveFile({ defaultPath: '/tmp/a.xlsx', format: 'xlsx' })).toBeNull();
    expect(electron.showSaveDialog).toHaveBeenLastCalledWith(first, expect.any(Object));

    electron.windows = [];
    electron.showSaveDialog.mockResolvedValue({ canceled: false, filePath: '/tmp/b.xlsx' });
    expect(await electronSaveDialog().chooseSaveFile({ defaultPath: '/tmp/a.xlsx', format: 'xlsx' })).toBe('/tmp/b.xlsx');
    expect(electron.showSaveDialog).toHaveBeenLastCalledWith(expect.objectContaining({ title: 'Enregistrer sous…' }));
  });
});
