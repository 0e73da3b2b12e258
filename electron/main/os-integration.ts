/**
 * What only the desktop shell can do for the core: seal the session tokens with the OS keychain (safeStorage) when it
 * is a real keychain (see token-protection.ts), lock
 * the session when the OS locks or suspends, and raise an OS notification with the number of new identity changes
 * to review — a count only, never a name (the notification centre is visible on the lock screen).
 */
import { Notification, powerMonitor, safeStorage } from 'electron';
import type { Core } from '../core/index';
import type { SecretBox } from '../core/auth/token-store';
import { strings } from './strings';
import { decideTokenProtection } from './token-protection';

/**
 * How the core keeps the session tokens: a safeStorage box when the OS seals with a real keychain (DPAPI, Keychain,
 * libsecret, KWallet); otherwise `box: null` (the core keeps them in memory only) and the French warning to show.
 * Call after the app is ready (before, Linux reports no backend).
 */
export function tokenSecretBox(): { box: SecretBox | null; warning: string | null } {
  const protection = decideTokenProtection({
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
  });
  if (protection.kind === 'memory') {
    console.warn(`[main] session tokens kept in memory only (${protection.reason}): ${protection.message}`);
    return { box: null, warning: protection.message };
  }
  return {
    box: {
      seal: (plain) => safeStorage.encryptString(plain.toString('base64')),
      open: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
    },
    warning: null,
  };
}

/** Wires OS events to the core; returns the function that unwires them. */
export function connectOsIntegration(core: Core): () => void {
  const lock = (): void => {
    try {
      core.lockSession();
    } catch (error) {
      console.error('[main] could not lock the session:', error);
    }
  };
  powerMonitor.on('lock-screen', lock);
  powerMonitor.on('suspend', lock);

  const unsubscribe = core.events.subscribe((name, payload) => {
    if (name !== 'review.changed' || !Notification.isSupported()) return;
    const { newPending } = payload as { newPending: number };
    if (newPending > 0) new Notification({ title: strings.notifications.title, body: strings.notifications.newIdentityChanges(newPending) }).show();
  });

  return () => {
    powerMonitor.off('lock-screen', lock);
    powerMonitor.off('suspend', lock);
    unsubscribe();
  };
}
