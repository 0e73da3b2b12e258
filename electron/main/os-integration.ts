/**
 * What only the desktop shell can do for the core: seal the session tokens with the OS keychain (safeStorage), lock
 * the session when the OS locks or suspends, and raise an OS notification with the number of new identity changes
 * to review — a count only, never a name (the notification centre is visible on the lock screen).
 */
import { Notification, powerMonitor, safeStorage } from 'electron';
import type { Core } from '../core/index';
import type { SecretBox } from '../core/auth/token-store';
import { strings } from './strings';

/** safeStorage when the OS offers it (DPAPI, Keychain, libsecret); null otherwise (the core then uses its key file). */
export function safeStorageSecretBox(): SecretBox | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  return {
    seal: (plain) => safeStorage.encryptString(plain.toString('base64')),
    open: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
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
