import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FileFingerprint, FINGERPRINT_BLOCK } from '../../electron/core/imports/fingerprint';

/** The fingerprint as fingerprint.ts defines it, computed at once: SHA-256 over each block's SHA-256, then the length. */
function reference(bytes: Buffer): string {
  const all = createHash('sha256');
  for (let at = 0; at < bytes.length; at += FINGERPRINT_BLOCK) all.update(createHash('sha256').update(bytes.subarray(at, at + FINGERPRINT_BLOCK)).digest());
  return all.update(`:${bytes.length}`).digest('hex');
}

async function inChunks(bytes: Buffer, sizes: readonly number[]): Promise<string> {
  const print = new FileFingerprint();
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    print.update(bytes.subarray(at, at + size));
    at += size;
  }
  return print.digest();
}

describe('file fingerprint', () => {
  const bytes = randomBytes(3 * FINGERPRINT_BLOCK + 12_345);

  it('is the same whatever chunks the bytes arrive in (short reads of a network share included)', async () => {
    const expected = reference(bytes);
    expect(await inChunks(bytes, [FINGERPRINT_BLOCK])).toBe(expected);
    expect(await inChunks(bytes, [bytes.length])).toBe(expected);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 2 * FINGERPRINT_BLOCK }), { minLength: 1, maxLength: 6 }), async (sizes) => {
        expect(await inChunks(bytes, sizes)).toBe(expected);
      }),
      { numRuns: 40 },
    );
  });

  it('tells apart files that differ by one byte, or by their length only', async () => {
    const changed = Buffer.from(bytes);
    changed[FINGERPRINT_BLOCK + 7]! ^= 1;
    expect(await inChunks(changed, [65_536])).not.toBe(await inChunks(bytes, [65_536]));
    const zeros = Buffer.alloc(FINGERPRINT_BLOCK);
    expect(await inChunks(zeros, [1000])).not.toBe(await inChunks(zeros.subarray(0, FINGERPRINT_BLOCK - 1), [1000]));
    expect(await new FileFingerprint().digest()).toBe(reference(Buffer.alloc(0)));
  });

  it('lets a fast reader wait, so that the copies waiting for the thread pool stay a few blocks, not the file', async () => {
    const print = new FileFingerprint();
    const block = Buffer.alloc(FINGERPRINT_BLOCK, 7);
    let most = 0;
    for (let i = 0; i < 200; i++) {
      await print.add(block);
      most = Math.max(most, print.waiting);
    }
    expect(most).toBeLessThanOrEqual(17);
    expect(await print.digest()).toBe(reference(Buffer.concat(Array.from({ length: 200 }, () => block))));
  });
});
