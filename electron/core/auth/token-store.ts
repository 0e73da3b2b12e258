/**
 * The directory session's tokens at rest, for the browser host: AES-256-GCM with a random key kept in a 0600 key file
 * of the data folder. In Electron main, the same TokenStore seam takes a safeStorage-backed implementation instead
 * (the key then never touches the disk in clear), or none at all when safeStorage would only obfuscate them. Sign-out
 * deletes the encrypted file. Kept tokens never reopen a session by themselves: the core starts locked (auth/session).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memoryTokenStore, type Tokens, type TokenStore } from '../directory/client';

export const TOKEN_KEY_FILE = 'session.key';
export const TOKEN_FILE = 'session.tokens';

/** Seals and opens small secrets; the file-key implementation below, safeStorage in Electron. */
export interface SecretBox {
  seal(plain: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
}

/** A random 256-bit key in `<dataDir>/session.key`, created 0600 on first use (and kept 0600). */
export function fileKeySecretBox(dataDir: string): SecretBox {
  const keyFile = join(dataDir, TOKEN_KEY_FILE);
  let key: Buffer;
  if (existsSync(keyFile)) {
    key = readFileSync(keyFile);
    if (key.length !== 32) throw new Error(`${keyFile}: not a 32-byte key`);
    chmodSync(keyFile, 0o600);
  } else {
    key = randomBytes(32);
    writeFileSync(keyFile, key, { mode: 0o600, flag: 'wx' });
  }
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    open(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
    },
  };
}

/**
 * A TokenStore that keeps the tokens encrypted in `<dataDir>/session.tokens` (and in memory). An unreadable file
 * (another key, corruption) is treated as no session: the operator signs in again.
 */
export function encryptedFileTokenStore(dataDir: string, box: SecretBox = fileKeySecretBox(dataDir)): TokenStore {
  const file = join(dataDir, TOKEN_FILE);
  let tokens: Tokens | null = null;
  if (existsSync(file)) {
    try {
      tokens = JSON.parse(box.open(readFileSync(file)).toString('utf8')) as Tokens;
    } catch {
      rmSync(file, { force: true });
    }
  }
  return {
    load: () => tokens,
    save(next) {
      tokens = next;
      if (next === null) {
        rmSync(file, { force: true });
        return;
      }
      const temp = `${file}.tmp`;
      writeFileSync(temp, box.seal(Buffer.from(JSON.stringify(next), 'utf8')), { mode: 0o600 });
      renameSync(temp, file);
    },
  };
}

/**
 * For a host that cannot seal the tokens safely (Electron on Linux without a keyring): the session lives in memory
 * only and ends with the app. A token file sealed by an earlier run is deleted rather than trusted.
 */
export function memoryOnlyTokenStore(dataDir: string): TokenStore {
  rmSync(join(dataDir, TOKEN_FILE), { force: true });
  return memoryTokenStore();
}
