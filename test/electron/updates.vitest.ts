/**
 * Automatic updates (electron/main/updates.ts): the rule that decides whether to check, and the checks themselves,
 * driven with fake timers and a fake updater standing for electron-updater's autoUpdater (which needs the Electron
 * runtime). Off by default: nothing is loaded or fetched until a workstation turns updates on with an https server.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startUpdateChecks, updateFeed, type Updater } from '../../electron/main/updates';

type Settings = { updatesEnabled: boolean; updateServerUrl: string | null };

function fakeUpdater() {
  const listeners = new Map<string, (arg: never) => void>();
  const updater = {
    autoDownload: false,
    autoInstallOnAppQuit: false,
    allowDowngrade: true,
    allowPrerelease: true,
    logger: null,
    setFeedURL: vi.fn(),
    checkForUpdates: vi.fn(() => Promise.resolve(null)),
    on: vi.fn((event: string, listener: (arg: never) => void) => listeners.set(event, listener)),
  };
  return { updater: updater as typeof updater & Updater, emit: (event: string, arg: unknown) => listeners.get(event)!(arg as never) };
}

const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };

describe('updateFeed', () => {
  it('is off by default, without a server, with a non-https one, and in a development run', () => {
    expect(updateFeed({ updatesEnabled: false, updateServerUrl: 'https://maj.ac-toulouse.fr/' }, true)).toEqual({ off: 'disabled' });
    expect(updateFeed({ updatesEnabled: true, updateServerUrl: null }, true)).toEqual({ off: 'no-server' });
    expect(updateFeed({ updatesEnabled: true, updateServerUrl: 'http://maj.ac-toulouse.fr/' }, true)).toEqual({ off: 'no-server' });
    expect(updateFeed({ updatesEnabled: true, updateServerUrl: 'https://maj.ac-toulouse.fr/' }, false)).toEqual({ off: 'not-packaged' });
  });

  it('is electron-updater’s generic provider on the workstation’s https server', () => {
    expect(updateFeed({ updatesEnabled: true, updateServerUrl: 'https://maj.ac-toulouse.fr/educonnect-desk/' }, true)).toEqual({
      feed: { provider: 'generic', url: 'https://maj.ac-toulouse.fr/educonnect-desk/' },
    });
  });
});

describe('startUpdateChecks', () => {
  let settings: Settings;
  let stop: () => void;
  beforeEach(() => {
    vi.useFakeTimers();
    settings = { updatesEnabled: false, updateServerUrl: null };
    for (const fn of Object.values(log)) fn.mockClear();
  });
  afterEach(() => {
    stop?.();
    vi.useRealTimers();
  });

  it('loads nothing and fetches nothing while updates are off', async () => {
    const loadUpdater = vi.fn(() => Promise.resolve(fakeUpdater().updater));
    stop = startUpdateChecks({ readSettings: () => settings, packaged: true, loadUpdater, notify: vi.fn(), log });
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(loadUpdater).not.toHaveBeenCalled();
  });

  it('once turned on in Paramètres, checks the academy’s server at the next tick, downloads, installs on quit', async () => {
    const { updater, emit } = fakeUpdater();
    const notify = vi.fn();
    stop = startUpdateChecks({ readSettings: () => settings, packaged: true, loadUpdater: () => Promise.resolve(updater), notify, log, firstCheckDelayMs: 60_000, intervalMs: 3_600_000 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(updater.checkForUpdates).not.toHaveBeenCalled();

    settings = { updatesEnabled: true, updateServerUrl: 'https://maj.ac-toulouse.fr/educonnect-desk/' };
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(updater.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://maj.ac-toulouse.fr/educonnect-desk/' });
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: true, allowDowngrade: false, allowPrerelease: false });

    emit('update-downloaded', { version: '1.2.0' });
    expect(notify).toHaveBeenCalledWith(
      'La version 1.2.0 d’EduConnect Desk a été téléchargée : elle sera installée à la prochaine fermeture de l’application.',
    );

    // Same server: not set again; another server: set before the check.
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(updater.setFeedURL).toHaveBeenCalledTimes(1);
    settings = { updatesEnabled: true, updateServerUrl: 'https://autre.ac-toulouse.fr/maj/' };
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(updater.setFeedURL).toHaveBeenLastCalledWith({ provider: 'generic', url: 'https://autre.ac-toulouse.fr/maj/' });
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(3);

    settings = { updatesEnabled: false, updateServerUrl: 'https://autre.ac-toulouse.fr/maj/' };
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(3);
  });

  it('never checks in a development run', async () => {
    settings = { updatesEnabled: true, updateServerUrl: 'https://maj.ac-toulouse.fr/' };
    const loadUpdater = vi.fn(() => Promise.resolve(fakeUpdater().updater));
    stop = startUpdateChecks({ readSettings: () => settings, packaged: false, loadUpdater, notify: vi.fn(), log });
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(loadUpdater).not.toHaveBeenCalled();
  });

  it('logs a failed check or a missing electron-updater, and keeps the app running', async () => {
    settings = { updatesEnabled: true, updateServerUrl: 'https://maj.ac-toulouse.fr/' };
    const { updater } = fakeUpdater();
    updater.checkForUpdates.mockRejectedValueOnce(new Error('net::ERR_NAME_NOT_RESOLVED'));
    stop = startUpdateChecks({ readSettings: () => settings, packaged: true, loadUpdater: () => Promise.resolve(updater), notify: vi.fn(), log, firstCheckDelayMs: 1 });
    await vi.advanceTimersByTimeAsync(1);
    expect(log.error).toHaveBeenCalledWith('[updates] could not check for updates:', 'net::ERR_NAME_NOT_RESOLVED');
    stop();

    stop = startUpdateChecks({ readSettings: () => settings, packaged: true, loadUpdater: () => Promise.resolve(null), notify: vi.fn(), log, firstCheckDelayMs: 1 });
    await vi.advanceTimersByTimeAsync(1);
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('electron-updater is not installed'));
  });

  it('stops checking when stopped (at quit)', async () => {
    settings = { updatesEnabled: true, updateServerUrl: 'https://maj.ac-toulouse.fr/' };
    const { updater } = fakeUpdater();
    stop = startUpdateChecks({ readSettings: () => settings, packaged: true, loadUpdater: () => Promise.resolve(updater), notify: vi.fn(), log });
    stop();
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
  });
});
