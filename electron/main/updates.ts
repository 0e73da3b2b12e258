/**
 * Automatic updates of the desktop app with electron-updater's generic provider: the academy publishes the
 * installers and electron-builder's latest*.yml on its own https server, and each workstation names that server in
 * Paramètres (LocalSettings.updatesEnabled, .updateServerUrl). Off by default; nothing is fetched, nor even loaded,
 * until an administrator turns it on. An update found is downloaded in the background (electron-updater checks its
 * sha512, and on Windows the publisher's signature when the app is signed) and installed when the app quits.
 *
 * No `electron` import: the updater is handed in (tests use a fake), and electron-updater is loaded on first use.
 */
import type { LocalSettings } from '../../shared/api/contract';
import { isUpdateServerUrl } from '../../shared/api/methods/governance';
import { strings } from './strings';

/** The members of electron-updater's `autoUpdater` this shell uses. */
export interface Updater {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  allowPrerelease: boolean;
  logger: Pick<Console, 'info' | 'warn' | 'error'> | null;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<unknown>;
  on(event: 'update-downloaded', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

export type UpdateFeed = { provider: 'generic'; url: string };

/** The feed to check, or why there is none. Updates apply to an installed (packaged) app only. */
export function updateFeed(
  settings: Pick<LocalSettings, 'updatesEnabled' | 'updateServerUrl'>,
  packaged: boolean,
): { feed: UpdateFeed } | { off: 'disabled' | 'no-server' | 'not-packaged' } {
  if (!settings.updatesEnabled) return { off: 'disabled' };
  if (!settings.updateServerUrl || !isUpdateServerUrl(settings.updateServerUrl)) return { off: 'no-server' };
  if (!packaged) return { off: 'not-packaged' };
  return { feed: { provider: 'generic', url: settings.updateServerUrl } };
}

export interface UpdateChecksOptions {
  /** This workstation's settings, read afresh before each check (a change in Paramètres applies at the next one). */
  readSettings: () => Pick<LocalSettings, 'updatesEnabled' | 'updateServerUrl'>;
  packaged: boolean;
  /** electron-updater's autoUpdater, or null when the module is not installed. */
  loadUpdater: () => Promise<Updater | null>;
  /** Tells the user, in French (a system.notice for the windows). */
  notify: (message: string) => void;
  firstCheckDelayMs?: number;
  intervalMs?: number;
  log?: Pick<Console, 'info' | 'warn' | 'error'>;
}

const MINUTE = 60_000;

/** Checks a minute after start, then every four hours; returns the function that stops the checks. */
export function startUpdateChecks(options: UpdateChecksOptions): () => void {
  const { log = console, firstCheckDelayMs = MINUTE, intervalMs = 4 * 60 * MINUTE } = options;
  let updater: Updater | null | undefined;
  let feedUrl: string | null = null;
  let checking = false;

  const configured = async (): Promise<Updater | null> => {
    if (updater !== undefined) return updater;
    updater = await options.loadUpdater();
    if (!updater) {
      log.warn('[updates] electron-updater is not installed: automatic updates are unavailable');
      return null;
    }
    updater.autoDownload = true;
    updater.autoInstallOnAppQuit = true;
    updater.allowDowngrade = false;
    updater.allowPrerelease = false;
    updater.logger = log;
    updater.on('update-downloaded', (info) => options.notify(strings.updates.downloaded(info.version)));
    updater.on('error', (error) => log.error('[updates] update failed:', error.message));
    return updater;
  };

  const check = async (): Promise<void> => {
    if (checking) return;
    const decision = updateFeed(options.readSettings(), options.packaged);
    if ('off' in decision) return;
    checking = true;
    try {
      const active = await configured();
      if (!active) return;
      if (feedUrl !== decision.feed.url) {
        active.setFeedURL(decision.feed);
        feedUrl = decision.feed.url;
      }
      await active.checkForUpdates();
    } catch (error) {
      log.error('[updates] could not check for updates:', error instanceof Error ? error.message : error);
    } finally {
      checking = false;
    }
  };

  const first = setTimeout(() => void check(), firstCheckDelayMs);
  const every = setInterval(() => void check(), intervalMs);
  first.unref?.();
  every.unref?.();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}

/** electron-updater's autoUpdater; loaded only when updates are on, and optional (null when not installed). */
export async function loadElectronUpdater(): Promise<Updater | null> {
  // A variable, so that the bundler leaves the import to run time and the module is read only when needed.
  const name = 'electron-updater';
  try {
    const module = (await import(/* @vite-ignore */ name)) as { autoUpdater?: Updater; default?: { autoUpdater?: Updater } };
    return module.default?.autoUpdater ?? module.autoUpdater ?? null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw error;
  }
}
