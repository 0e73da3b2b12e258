/**
 * The single main window: its options come from window-options.ts (sandboxed renderer, preload bridge only), its
 * place from window-state.ts; shown once painted; its size and place are saved when it closes.
 */
import { BrowserWindow, screen, type Rectangle } from 'electron';
import { windowTitle } from './security-policy';
import { strings } from './strings';
import { mainWindowOptions } from './window-options';
import { placeWindow, readWindowState, writeWindowState } from './window-state';

export interface MainWindowOptions {
  preloadPath: string;
  /** app://desk/index.html, or the Vite dev server URL in `electron-vite dev`. */
  startUrl: string;
  /** The JSON file that remembers the window's size and place (in Electron's profile folder). */
  stateFile: string;
  packaged: boolean;
}

/** The work areas of the connected displays, the primary one first. */
function workAreas(): Rectangle[] {
  const primary = screen.getPrimaryDisplay();
  return [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
}

export function createMainWindow({ preloadPath, startUrl, stateFile, packaged }: MainWindowOptions): BrowserWindow {
  const placement = placeWindow(readWindowState(stateFile), workAreas());
  const options = mainWindowOptions({ preloadPath, placement, packaged, title: strings.windowTitle });
  const window = new BrowserWindow({
    ...options,
    // Restated where the window is made, because static scanners (electronegativity) read this call and follow no
    // function; test/electron/window.vitest.ts checks that the window gets exactly mainWindowOptions().
    webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true },
  });

  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize();
    window.show();
  });
  // A renderer that fails to load still gets a visible window rather than an invisible running app.
  window.webContents.once('did-fail-load', (_event, code, description, url) => {
    console.error(`[window] failed to load ${url}: ${code} ${description}`);
    if (!window.isVisible()) window.show();
  });
  window.on('page-title-updated', (event, title) => {
    event.preventDefault();
    window.setTitle(windowTitle(title, strings.windowTitle));
  });
  window.on('close', () => {
    try {
      writeWindowState(stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
    } catch (error) {
      console.warn('[window] could not save its size and place:', error);
    }
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
