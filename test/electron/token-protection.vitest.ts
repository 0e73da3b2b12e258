/**
 * Session tokens and safeStorage in the Electron shell. The decision is a pure function, tested as is; the glue that
 * probes safeStorage runs with `electron` mocked, because no Electron runtime can run here (the mock stands for
 * safeStorage only: what each OS backend would report). The core it feeds is the real one, on a real data folder.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCore } from '../../electron/core';
import { TOKEN_FILE } from '../../electron/core/auth/token-store';
import { decideTokenProtection } from '../../electron/main/token-protection';
import { tempDir } from '../helpers/temp';

const safeStorage = {
  backend: 'basic_text',
  available: true,
  isEncryptionAvailable: vi.fn(() => safeStorage.available),
  getSelectedStorageBackend: vi.fn(() => safeStorage.backend),
  encryptString: vi.fn((plain: string) => Buffer.from(`sealed:${plain}`)),
  decryptString: vi.fn((sealed: Buffer) => sealed.toString().replace(/^sealed:/, '')),
};

vi.mock('electron', () => ({ safeStorage, Notification: class {}, powerMonitor: { on: () => undefined, off: () => undefined } }));

const { tokenSecretBox } = await import('../../electron/main/os-integration');

describe('decideTokenProtection', () => {
  it('refuses basic_text on Linux: tokens in memory only, with a French explanation', () => {
    const decision = decideTokenProtection({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' });
    expect(decision).toMatchObject({ kind: 'memory', reason: 'basic_text' });
    expect(decision.kind === 'memory' && decision.message).toMatch(/Aucun trousseau de clés sécurisé.*ne sera pas conservée/);
  });

  it('trusts a real Linux keyring, and the OS keychains of Windows and macOS', () => {
    for (const linuxBackend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
      expect(decideTokenProtection({ platform: 'linux', encryptionAvailable: true, linuxBackend })).toEqual({ kind: 'safeStorage' });
    }
    expect(decideTokenProtection({ platform: 'win32', encryptionAvailable: true, linuxBackend: null })).toEqual({ kind: 'safeStorage' });
    expect(decideTokenProtection({ platform: 'darwin', encryptionAvailable: true, linuxBackend: null })).toEqual({ kind: 'safeStorage' });
  });

  it('keeps tokens in memory when encryption is unavailable or the Linux backend is not known to be a keyring', () => {
    expect(decideTokenProtection({ platform: 'darwin', encryptionAvailable: false, linuxBackend: null })).toMatchObject({ kind: 'memory', reason: 'unavailable' });
    expect(decideTokenProtection({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'unknown' })).toMatchObject({ kind: 'memory', reason: 'unknown_backend' });
  });
});

describe('tokenSecretBox (electron mocked)', () => {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    safeStorage.encryptString.mockClear();
  });
  afterEach(() => warn.mockRestore());

  it.runIf(process.platform === 'linux')('never seals with basic_text; the core then keeps no token file', async () => {
    safeStorage.backend = 'basic_text';
    const { box, warning } = tokenSecretBox();
    expect(box).toBeNull();
    expect(warning).toMatch(/ne sera pas conservée/);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('basic_text'));
    expect(safeStorage.encryptString).not.toHaveBeenCalled();

    // A token file sealed by an earlier run (with basic_text) is deleted, not trusted: nobody is signed in.
    const data = tempDir('ecd-token-protection-');
    try {
      writeFileSync(join(data.path, TOKEN_FILE), Buffer.from('sealed:old'));
      const core = createCore({ dataDir: data.path, directory: 'http://127.0.0.1:9', appVersion: '0.0.0-test', host: 'electron', secretBox: box });
      try {
        expect(existsSync(join(data.path, TOKEN_FILE))).toBe(false);
        expect(await core.dispatcher.call('auth.status', {}, { transport: 'internal' })).toMatchObject({ signedIn: false });
      } finally {
        await core.shutdown();
      }
    } finally {
      data.remove();
    }
  });

  it.runIf(process.platform === 'linux')('seals with safeStorage when a real keyring backs it', () => {
    safeStorage.backend = 'gnome_libsecret';
    const { box, warning } = tokenSecretBox();
    expect(warning).toBeNull();
    const sealed = box!.seal(Buffer.from('jetons'));
    expect(safeStorage.encryptString).toHaveBeenCalledTimes(1);
    expect(box!.open(sealed).toString()).toBe('jetons');
  });
});
