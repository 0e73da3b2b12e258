/** The single main window: sandboxed renderer, preload bridge only, shown once painted. */
import { BrowserWindow } from 'electron';
import { windowTitle } from './security-policy';
import { strings } from './strings';

export interface MainWindowOptions {
  preloadPath: string;
  /** app://desk/index.html, or the Vite dev server URL in `electron-vite dev`. */
  startUrl: string;
}

export function createMainWindow({ preloadPath, startUrl }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: strings.windowTitle,
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  });

  window.once('ready-to-show', () => window.show());
  // A renderer that fails to load still gets a visible window rather than an invisible running app.
  window.webContents.once('did-fail-load', (_event, code, description, url) => {
    console.error(`[window] failed to load ${url}: ${code} ${description}`);
    if (!window.isVisible()) window.show();
  });
  window.on('page-title-updated', (event, title) => {
    event.preventDefault();
    window.setTitle(windowTitle(title, strings.windowTitle));
  });

  void window.loadURL(startUrl).catch((error: unknown) => console.error('[window] loadURL failed:', error));
  return window;
}

/** Brings the window back in front of the user (second launch, dock click). */
export function focusWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  if (!window.isVisible()) window.show();
  window.focus();
}
