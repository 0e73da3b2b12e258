/**
 * Whether safeStorage really protects the session tokens on this machine. Pure (the probe is taken by the caller), so
 * it is tested without an Electron runtime. On Linux, Chromium seals with a key from the desktop's keyring (Secret
 * Service or KWallet); without one it falls back to `basic_text`, a key hard-coded in Chromium: obfuscation that
 * anyone who copies the data folder can undo. Then the tokens are not kept at rest at all: the session lives in memory
 * and ends with the app, rather than pretending to be protected.
 */
import { strings } from './strings';

export interface SafeStorageProbe {
  platform: NodeJS.Platform;
  /** `safeStorage.isEncryptionAvailable()`, after the app is ready. */
  encryptionAvailable: boolean;
  /** `safeStorage.getSelectedStorageBackend()` on Linux; null elsewhere. */
  linuxBackend: string | null;
}

export type TokenProtection =
  | { kind: 'safeStorage' }
  | { kind: 'memory'; reason: 'unavailable' | 'basic_text' | 'unknown_backend'; message: string };

/** The Linux backends that keep the key in a real keyring. */
const LINUX_KEYRINGS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export function decideTokenProtection(probe: SafeStorageProbe): TokenProtection {
  const memory = (reason: 'unavailable' | 'basic_text' | 'unknown_backend'): TokenProtection => ({
    kind: 'memory',
    reason,
    message: strings.tokenProtection[reason],
  });
  if (!probe.encryptionAvailable) return memory('unavailable');
  if (probe.platform !== 'linux') return { kind: 'safeStorage' };
  if (probe.linuxBackend === 'basic_text') return memory('basic_text');
  // `unknown` (asked before ready) or a backend this code does not know: not shown to be a keyring, so not trusted.
  if (!probe.linuxBackend || !LINUX_KEYRINGS.has(probe.linuxBackend)) return memory('unknown_backend');
  return { kind: 'safeStorage' };
}
