/**
 * The fingerprint of an import's files: how the same files are recognised (an import already applied, or files that
 * changed between the preview and the application). SHA-256 over the SHA-256 of each 256 KiB block of a file, then
 * its length: the blocks are hashed by WebCrypto in libuv's thread pool, on another core, while the main thread parses
 * the same bytes (hashing them there was a few per cent of the reading). The blocks are cut from the file's bytes
 * whatever chunks they arrive in (a network share may read short), so the same bytes always give the same fingerprint.
 */
import { createHash, webcrypto } from 'node:crypto';

export const FINGERPRINT_BLOCK = 256 * 1024;

/** Blocks handed to the thread pool and not hashed yet beyond which a reader should wait (each is a 256 KiB copy). */
const MAX_IN_FLIGHT = 16;

export class FileFingerprint {
  private readonly digests: Promise<ArrayBuffer>[] = [];
  /** Bytes of the block being filled, when chunks do not fall on block boundaries. */
  private partial: Buffer | null = null;
  private filled = 0;
  private length = 0;
  private hashed = 0;

  update(chunk: Buffer): void {
    this.length += chunk.length;
    let from = 0;
    if (this.filled === 0) {
      // The usual case: chunks of the block size, hashed as they are (WebCrypto copies what it hashes).
      while (chunk.length - from >= FINGERPRINT_BLOCK) {
        this.hash(chunk.subarray(from, from + FINGERPRINT_BLOCK));
        from += FINGERPRINT_BLOCK;
      }
    }
    while (from < chunk.length) {
      this.partial ??= Buffer.allocUnsafe(FINGERPRINT_BLOCK);
      const copied = chunk.copy(this.partial, this.filled, from, Math.min(chunk.length, from + FINGERPRINT_BLOCK - this.filled));
      this.filled += copied;
      from += copied;
      if (this.filled === FINGERPRINT_BLOCK) {
        this.hash(this.partial);
        this.partial = null;
        this.filled = 0;
      }
    }
  }

  /**
   * `update`, block by block, each time waiting until at most about MAX_IN_FLIGHT blocks wait for the thread pool: a
   * reader faster than the hashing (an archive hashed before it is read, a CSV read whole) keeps the copies waiting
   * to be hashed to a few MB, not the file's size.
   */
  async add(bytes: Buffer): Promise<void> {
    for (let at = 0; at < bytes.length; at += FINGERPRINT_BLOCK) {
      this.update(bytes.subarray(at, at + FINGERPRINT_BLOCK));
      const oldestToWaitFor = this.digests.length - MAX_IN_FLIGHT - 1;
      if (oldestToWaitFor >= 0) await this.digests[oldestToWaitFor];
    }
  }

  /** Blocks handed to the thread pool and not hashed yet. */
  get waiting(): number {
    return this.digests.length - this.hashed;
  }

  /** The file's fingerprint, in hex, once every block is hashed. */
  async digest(): Promise<string> {
    if (this.filled > 0) this.hash(this.partial!.subarray(0, this.filled));
    this.partial = null;
    this.filled = 0;
    const all = createHash('sha256');
    for (const digest of await Promise.all(this.digests)) all.update(new Uint8Array(digest));
    return all.update(`:${this.length}`).digest('hex');
  }

  private hash(block: Buffer): void {
    const pending = webcrypto.subtle.digest('SHA-256', block);
    // Read in order at the end; a failure (none is expected) is reported by digest(), not as an unhandled rejection.
    pending.then(
      () => (this.hashed += 1),
      () => undefined,
    );
    this.digests.push(pending);
  }
}
