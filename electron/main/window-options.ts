/**
 * The main window's options as data, so that the security settings are asserted by a unit test rather than trusted
 * (test/electron/window.vitest.ts). Pure: only Electron's types are imported.
 */
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import type { Placement } from './window-state';

/** Electron's security checklist, for every page the app shows. */
export const SECURE_WEB_PREFERENCES = {
  // The page and the preload live in separate JavaScript worlds; the page gets only what contextBridge exposes.
  contextIsolation: true,
  // The renderer runs in Chromium's OS sandbox; the preload gets only Electron's renderer modules.
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  // A middle click would ask for a new window; they are all denied, and this keeps the request from being made.
  disableBlinkFeatures: 'Auxclick',
  navigateOnDragDrop: false,
  safeDialogs: true,
  // Chromium's spellchecker downloads its dictionaries from Google on Windows and Linux: no traffic outside the app's.
  spellcheck: false,
} as const satisfies WebPreferences;

export const MIN_WINDOW_SIZE = { width: 960, height: 600 } as const;

export interface MainWindowOptionsInput {
  preloadPath: string;
  /** Where and how big (window-state.ts); without x and y Electron centres the window. */
  placement: Placement;
  /** A packaged app has no developer tools. */
  packaged: boolean;
  title: string;
}

export function mainWindowOptions({ preloadPath, placement, packaged, title }: MainWindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title,
    width: placement.width,
    height: placement.height,
    ...(placement.x !== undefined && placement.y !== undefined ? { x: placement.x, y: placement.y } : {}),
    minWidth: MIN_WINDOW_SIZE.width,
    minHeight: MIN_WINDOW_SIZE.height,
    show: false,
    backgroundColor: '#ffffff',
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath, devTools: !packaged },
  };
}
