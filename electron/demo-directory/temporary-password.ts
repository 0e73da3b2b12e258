/**
 * Temporary passwords for notification letters: 10 characters from a 57-character alphabet without look-alikes
 * (no 0, 1, O, I, l): 10 · log2(57) ≈ 58.3 bits, above the CNIL's 50 bits for a password with lockout.
 */
import { randomInt } from 'node:crypto';

export const TEMPORARY_PASSWORD_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
export const TEMPORARY_PASSWORD_LENGTH = 10;

export function temporaryPassword(): string {
  let out = '';
  for (let i = 0; i < TEMPORARY_PASSWORD_LENGTH; i++) out += TEMPORARY_PASSWORD_ALPHABET[randomInt(TEMPORARY_PASSWORD_ALPHABET.length)];
  return out;
}
