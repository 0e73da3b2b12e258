/**
 * Electron main process: the thin shell around electron/core. It serves the renderer over app://, hardens every
 * webContents, wires the core to IPC, owns the window, checks for updates when a workstation asks to, and quits only
 * once the core has shut down; all logic lives in the core.
 */
import { app, BrowserWindow, dialog } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../core/index';
import { toApiError } from '../core/dispatcher';
import { readLocalSettings } from '../core/governance/settings';
import { parseDirectoryOption, resolveDataLocation } from './config';
import { electronDesktopFiles } from './desktop-files';
import { connectCoreToIpc } from './ipc';
import { connectOsIntegration, tokenSecretBox } from './os-integration';
import { installMenu } from './menu';
import { registerAppSchemePrivileges, serveRenderer } from './protocol';
import { installGracefulQuit, QUIT_TIME_LIMIT_MS } from './quit';
import { electronSaveDialog } from './save-dialog';
import { applySecurityPolicy } from './security';
import { APP_START_URL, trustedPrefixes } from './security-policy';
import { strings } from './strings';
import { loadElectronUpdater, startUpdateChecks } from './updates';
import { createMainWindow, focusWindow } from './window';
import { WINDOW_STATE_FILE } from './window-state';

const APP_ID = 'fr.education.educonnect-desk';

// out/main/index.js → out/renderer and out/preload/index.cjs (inside app.asar once packaged).
const here = dirname(fileURLToPath(import.meta.url));
const rendererDir = join(here, '../renderer');
const preloadPath = join(here, '../preload/index.cjs');
// Set by `electron-vite dev`; ignored in a packaged app so an environment variable cannot redirect it.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL || undefined;
const prefixes = trustedPrefixes(devServerUrl);

// Everything below up to whenReady() must happen before the app is ready.
registerAppSchemePrivileges();
app.enableSandbox();
applySecurityPolicy(prefixes);

const location = resolveDataLocation(process.env, app.getPath('userData'));
if (location.userDataOverride) app.setPath('userData', location.userDataOverride);

/** Thrown after the user has been told why the app cannot start, so start() stops without a second report. */
class StartupAborted extends Error {}

function failStartup(message: string): never {
  console.error(`[main] startup failed: ${message}`);
  dialog.showErrorBox(strings.startupError.title, message);
  app.exit(1);
  throw new StartupAborted(message);
}

async function start(): Promise<void> {
  let core: Core | null = null;
  let disconnect: (() => void) | null = null;
  let mainWindow: BrowserWindow | null = null;

  const openWindow = (): BrowserWindow => {
    const window = createMainWindow({
      preloadPath,
      startUrl: devServerUrl ?? APP_START_URL,
      stateFile: join(app.getPath('userData'), WINDOW_STATE_FILE),
      packaged: app.isPackaged,
    });
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    return window;
  };

  app.on('second-instance', () => {
    if (mainWindow && !mainWindow.isDestroyed()) focusWindow(mainWindow);
    else if (core) mainWindow = openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core && BrowserWindow.getAllWindows().length === 0) mainWindow = openWindow();
  });
  installGracefulQuit(app, {
    shutdown: async () => {
      disconnect?.();
      disconnect = null;
      await core?.shutdown();
      core = null;
    },
    forceClose: () => {
      core?.close();
      core = null;
    },
    timeLimitMs: QUIT_TIME_LIMIT_MS,
  });

  await app.whenReady();
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

  const directory = parseDirectoryOption(process.argv);
  if (!directory.ok) failStartup(directory.message);

  serveRenderer(rendererDir);
  const tokenSealing = tokenSecretBox();
  try {
    core = createCore({
      dataDir: location.dataDir,
      directory: directory.directory,
      appVersion: app.getVersion(),
      host: 'electron',
      secretBox: tokenSealing.box,
      saveDialog: electronSaveDialog(),
      desktopFiles: electronDesktopFiles(),
      // Packaged: the fonts are copied next to app.asar (electron-builder.yml extraResources).
      fontsDir: app.isPackaged ? join(process.resourcesPath, 'fonts') : undefined,
    });
  } catch (error) {
    failStartup(strings.startupError.coreFailed(toApiError(error).message));
  }
  const running = core;
  const disconnectIpc = connectCoreToIpc(running, prefixes);
  const disconnectOs = connectOsIntegration(running);
  const stopUpdateChecks = startUpdateChecks({
    readSettings: () => readLocalSettings(running.db),
    packaged: app.isPackaged,
    loadUpdater: loadElectronUpdater,
    notify: (message) => running.events.emit('system.notice', { level: 'info', message }),
  });
  disconnect = () => {
    stopUpdateChecks();
    disconnectOs();
    disconnectIpc();
  };
  installMenu({ dataDir: core.dataDir, directory: directory.directory });
  mainWindow = openWindow();
  if (tokenSealing.warning) {
    // Told once per launch, without blocking the window: the session simply will not survive closing the app.
    void dialog.showMessageBox(mainWindow, { type: 'warning', title: strings.tokenProtection.title, message: tokenSealing.warning });
  }
}

if (!app.requestSingleInstanceLock()) {
  // Another instance owns this data folder: it receives 'second-instance' and comes to the front.
  app.quit();
} else {
  start().catch((error: unknown) => {
    if (error instanceof StartupAborted) return;
    console.error('[main] startup failed:', error);
    app.exit(1);
  });
}
