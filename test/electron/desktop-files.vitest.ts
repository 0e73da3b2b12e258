/**
 * The shell's file glue: the native "Ouvrir" dialog and the system viewer (desktop-files.ts), and the menu's « Ouvrir
 * le dossier des données » (menu.ts). No Electron runtime runs here: `electron` is replaced by a test double standing
 * for it (dialog, shell, Menu, BrowserWindow), which records what it is asked. Which files may be opened is the
 * core's rule, tested in test/unit/system-open-files.test.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';

const electron = vi.hoisted(() => ({
  focused: null as object | null,
  windows: [] as object[],
  showOpenDialog: vi.fn(),
  showErrorBox: vi.fn(),
  openPath: vi.fn(),
  template: [] as unknown[],
}));

vi.mock('electron', () => ({
  app: { isPackaged: true, name: 'EduConnect Desk', getVersion: () => '1.0.0' },
  BrowserWindow: { getFocusedWindow: () => electron.focused, getAllWindows: () => electron.windows },
  dialog: { showOpenDialog: electron.showOpenDialog, showErrorBox: electron.showErrorBox, showMessageBox: vi.fn() },
  shell: { openPath: electron.openPath },
  Menu: {
    buildFromTemplate: (template: unknown[]) => {
      electron.template = template;
      return template;
    },
    setApplicationMenu: () => undefined,
  },
}));

const { electronDesktopFiles, openDialogOptions } = await import('../../electron/main/desktop-files');
const { installMenu } = await import('../../electron/main/menu');

const csv = [{ name: 'Fichiers CSV', extensions: ['csv'] }];

describe('the open dialog and the system viewer (electron mocked)', () => {
  beforeEach(() => {
    electron.showOpenDialog.mockReset();
    electron.openPath.mockReset();
    electron.focused = null;
    electron.windows = [];
  });

  it('asks in French for one file, or several, of the given types', () => {
    expect(openDialogOptions(csv, false)).toEqual({
      title: 'Ouvrir un fichier',
      buttonLabel: 'Ouvrir',
      filters: [{ name: 'Fichiers CSV', extensions: ['csv'] }],
      properties: ['openFile'],
    });
    expect(openDialogOptions(csv, true)).toMatchObject({ title: 'Ouvrir des fichiers', properties: ['openFile', 'multiSelections'] });
  });

  it('opens modal to the focused window and gives the chosen paths; none when cancelled', async () => {
    const focused = { id: 1 };
    electron.focused = focused;
    electron.showOpenDialog.mockResolvedValue({ canceled: false, filePaths: ['/home/ana/eleves.csv'] });
    expect(await electronDesktopFiles().chooseOpenFiles({ filters: csv, multiple: false })).toEqual(['/home/ana/eleves.csv']);
    expect(electron.showOpenDialog).toHaveBeenCalledWith(focused, expect.objectContaining({ properties: ['openFile'] }));

    electron.focused = null;
    electron.showOpenDialog.mockResolvedValue({ canceled: true, filePaths: ['/ignored.csv'] });
    expect(await electronDesktopFiles().chooseOpenFiles({ filters: csv, multiple: true })).toEqual([]);
    expect(electron.showOpenDialog).toHaveBeenLastCalledWith(expect.objectContaining({ title: 'Ouvrir des fichiers' }));
  });

  it('turns shell.openPath’s error string into a failure', async () => {
    electron.openPath.mockResolvedValue('');
    await expect(electronDesktopFiles().openPath('/data/lettre.pdf')).resolves.toBeUndefined();
    expect(electron.openPath).toHaveBeenCalledWith('/data/lettre.pdf');
    electron.openPath.mockResolvedValue('No application is associated');
    await expect(electronDesktopFiles().openPath('/data/lettre.pdf')).rejects.toThrow('No application is associated');
  });
});

describe('the menu’s « Ouvrir le dossier des données » (electron mocked)', () => {
  const dataFolderItem = (): MenuItemConstructorOptions => {
    installMenu({ dataDir: '/home/ana/.config/EduConnect Desk/data', directory: 'demo' });
    const file = (electron.template as MenuItemConstructorOptions[]).find((item) => item.label === 'Fichier')!;
    const item = (file.submenu as MenuItemConstructorOptions[]).find((i) => i.label === 'Ouvrir le dossier des données');
    expect(item, 'menu item').toBeDefined();
    return item!;
  };
  const click = (item: MenuItemConstructorOptions) => (item.click as () => void)();

  beforeEach(() => {
    electron.openPath.mockReset();
    electron.showErrorBox.mockReset();
  });

  it('opens the data folder in the file manager', async () => {
    electron.openPath.mockResolvedValue('');
    click(dataFolderItem());
    await vi.waitFor(() => expect(electron.openPath).toHaveBeenCalledWith('/home/ana/.config/EduConnect Desk/data'));
    expect(electron.showErrorBox).not.toHaveBeenCalled();
  });

  it('says in French when the folder cannot be opened', async () => {
    electron.openPath.mockResolvedValue('Failed to open path');
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    click(dataFolderItem());
    await vi.waitFor(() =>
      expect(electron.showErrorBox).toHaveBeenCalledWith(
        'Dossier des données',
        'Le dossier des données n’a pas pu être ouvert (/home/ana/.config/EduConnect Desk/data) : Failed to open path',
      ),
    );
    error.mockRestore();
  });
});
