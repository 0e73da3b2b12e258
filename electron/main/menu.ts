/**
 * A minimal French application menu: the data folder (for backups and the IT support), quit, the edit roles (they
 * keep copy/paste shortcuts working on macOS), view and about.
 */
import { app, dialog, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import { strings } from './strings';

export interface AboutInfo {
  dataDir: string;
  directory: string;
}

export function installMenu(about: AboutInfo): void {
  const m = strings.menu;
  const showAbout = (): void => {
    void dialog.showMessageBox({
      type: 'info',
      title: strings.about.title,
      message: strings.windowTitle,
      detail: strings.about.detail(app.getVersion(), about.dataDir, about.directory),
      buttons: ['OK'],
    });
  };

  const openDataFolder = (): void => {
    void shell.openPath(about.dataDir).then((failure) => {
      if (!failure) return;
      console.error(`[menu] could not open the data folder: ${failure}`);
      dialog.showErrorBox(strings.dataFolder.title, strings.dataFolder.failed(about.dataDir, failure));
    });
  };

  const template: MenuItemConstructorOptions[] = [
    {
      label: m.file,
      submenu: [{ label: m.openDataFolder, click: openDataFolder }, { type: 'separator' }, { label: m.quit, role: 'quit' }],
    },
    {
      label: m.edit,
      submenu: [
        { label: m.undo, role: 'undo' },
        { label: m.redo, role: 'redo' },
        { type: 'separator' },
        { label: m.cut, role: 'cut' },
        { label: m.copy, role: 'copy' },
        { label: m.paste, role: 'paste' },
        { label: m.selectAll, role: 'selectAll' },
      ],
    },
    {
      label: m.view,
      submenu: [
        { label: m.reload, role: 'reload' },
        { label: m.fullScreen, role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ label: m.devTools, role: 'toggleDevTools' } as const]),
      ],
    },
    { label: m.help, submenu: [{ label: m.about, click: showAbout }] },
  ];
  if (process.platform === 'darwin') {
    template.unshift({
      label: app.name,
      submenu: [{ label: m.about, click: showAbout }, { type: 'separator' }, { label: m.quit, role: 'quit' }],
    });
  }
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
