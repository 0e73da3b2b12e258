/**
 * Text encodings of the files the school's software exports. SIECLE declares its encoding in the XML prolog (usually
 * ISO-8859-15); ONDE writes Latin-1/Windows-1252 without saying so. A file is decoded chunk by chunk as it streams in,
 * and its bytes are checked against what it declares: a file re-saved in UTF-8 that still declares ISO-8859-15 (or the
 * reverse), or Windows-1252 punctuation in an ISO-8859 file, would be imported as mojibake ("Ã©" for "é"). Such a
 * file is refused with the reason, never guessed at.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

export type TextEncoding = 'utf-8' | 'iso-8859-15' | 'iso-8859-1' | 'windows-1252';

/** How each supported encoding may be spelled in a prolog (compared lower-cased, without spaces). */
const ALIASES: Record<string, TextEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'iso-8859-15': 'iso-8859-15',
  'iso8859-15': 'iso-8859-15',
  'iso_8859-15': 'iso-8859-15',
  latin9: 'iso-8859-15',
  'latin-9': 'iso-8859-15',
  'iso-8859-1': 'iso-8859-1',
  'iso8859-1': 'iso-8859-1',
  'iso_8859-1': 'iso-8859-1',
  latin1: 'iso-8859-1',
  'latin-1': 'iso-8859-1',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
};

/** What the first bytes of an XML file say about its encoding. */
export type Prolog =
  | { ok: true; encoding: TextEncoding; declared: string | null; bom: boolean }
  | { ok: false; reason: 'unsupported'; declared: string }
  | { ok: false; reason: 'utf16' };

/**
 * Reads the byte-order mark and the `encoding` of the XML declaration from the start of a file (its first bytes are
 * ASCII in every encoding we read). No declaration means UTF-8, as the XML specification says.
 */
export function readProlog(head: Buffer): Prolog {
  if ((head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0x00 && head[1] === 0x3c) || (head[0] === 0x3c && head[1] === 0x00)) {
    return { ok: false, reason: 'utf16' };
  }
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
  const text = head.subarray(bom ? 3 : 0, Math.min(head.length, 300)).toString('latin1');
  const declaration = /^\s*<\?xml\s[^?]*\?>/.exec(text)?.[0];
  const declared = declaration ? (/\sencoding\s*=\s*["']([^"']*)["']/.exec(declaration)?.[1] ?? null) : null;
  if (declared === null) return { ok: true, encoding: 'utf-8', declared: null, bom };
  const encoding = ALIASES[declared.trim().toLowerCase().replace(/\s+/g, '')];
  if (!encoding) return { ok: false, reason: 'unsupported', declared };
  // A UTF-8 byte-order mark in front of a Latin declaration is already a contradiction; the check below reports it.
  return { ok: true, encoding, declared, bom };
}

/** Why the bytes contradict the encoding a file declares (or is assumed to have). */
export type EncodingMismatch =
  /** Declared (or assumed) Latin, but every non-ASCII sequence is UTF-8. */
  | { kind: 'utf8-in-latin'; sample: string }
  /** Declared UTF-8, but the bytes are not UTF-8. */
  | { kind: 'invalid-utf8'; offset: number }
  /** Declared ISO-8859-1/15, but bytes 0x80–0x9F (control codes there; Windows-1252 punctuation such as ’ or œ). */
  | { kind: 'windows-1252-in-iso'; byte: number; offset: number };

/**
 * Watches the raw bytes of a Latin-declared file as they stream by: whether all of its non-ASCII bytes form valid
 * UTF-8 (then the file is really UTF-8). Native checks (`isUtf8`, `isAscii`) per chunk; a sequence cut by the end of
 * a chunk is carried over to the next one.
 */
class Utf8Watch {
  valid = true;
  nonAscii = false;
  sample = '';
  private carry: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    if (!this.valid) return;
    const data = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = incompleteTail(data);
    const body = cut === data.length ? data : data.subarray(0, cut);
    this.carry = cut === data.length ? Buffer.alloc(0) : Buffer.from(data.subarray(cut));
    if (!isUtf8(body)) {
      this.valid = false;
      return;
    }
    if (!this.nonAscii && !isAscii(body)) {
      this.nonAscii = true;
      this.sample = firstNonAscii(body);
    }
  }

  end(): void {
    if (this.carry.length > 0) this.valid = false;
  }
}

/** Where a UTF-8 sequence left unfinished at the end of `data` starts (data.length when none is). */
function incompleteTail(data: Buffer): number {
  for (let back = 1; back <= Math.min(3, data.length); back++) {
    const b = data[data.length - back]!;
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return needed > back ? data.length - back : data.length;
  }
  return data.length;
}

/** The first non-ASCII character of valid UTF-8 bytes, to show the user what was found. */
function firstNonAscii(body: Buffer): string {
  for (let i = 0; i < body.length; i++) {
    if (body[i]! >= 0x80) return body.subarray(Math.max(0, i - 8), Math.min(body.length, i + 12)).toString('utf8').replace(/\s+/g, ' ').trim();
  }
  return '';
}

/**
 * Where the first byte 0x80–0x9F of a chunk is (-1 when none is): control codes in ISO-8859-1/15, where no text holds
 * them. One native byte search per value (memchr) is cheaper than a pattern over the decoded text.
 */
function firstC1(chunk: Buffer): number {
  let first = -1;
  for (let byte = 0x80; byte <= 0x9f; byte++) {
    const at = chunk.indexOf(byte);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  return first;
}

/**
 * A fast native decoder of one Latin encoding (single byte: chunks decode independently), giving the text in pieces
 * (see `CheckedDecoder.write`).
 */
function latinDecoder(encoding: Exclude<TextEncoding, 'utf-8'>): (chunk: Buffer) => string[] {
  // Node's own latin1 is exact ISO-8859-1 (WHATWG's TextDecoder would read that label as Windows-1252).
  if (encoding === 'iso-8859-1') return (chunk) => [chunk.toString('latin1')];
  // Node 20's TextDecoder decodes windows-1252 as ISO-8859-1 (0x8C gives U+008C, not Œ): iconv-lite's table.
  if (encoding === 'windows-1252') return (chunk) => [iconv.decode(chunk, encoding)];
  return latin9;
}

/** The bytes where ISO-8859-15 differs from ISO-8859-1, and the characters they are in ISO-8859-15. */
const LATIN9_ONLY: readonly (readonly [number, string])[] = [
  [0xa4, '€'],
  [0xa6, 'Š'],
  [0xa8, 'š'],
  [0xb4, 'Ž'],
  [0xb8, 'ž'],
  [0xbc, 'Œ'],
  [0xbd, 'œ'],
  [0xbe, 'Ÿ'],
];
const LATIN9_CHAR = new Map(LATIN9_ONLY);

/** More of those bytes than this in one chunk (text full of œ and €, not a school export): iconv-lite's table, one string. */
const MAX_PIECES = 4096;

/**
 * ISO-8859-15 differs from ISO-8859-1 in eight bytes only: a chunk is decoded as Latin-1 (a native copy into a
 * one-byte string, several times cheaper than ICU's converter) and those eight bytes, where the chunk has any (an
 * « œ » here and there in a school's names), are pieces of their own. Joining them into one string would make the
 * whole chunk a two-byte string, copied whole the first time it is read, and every value cut from it twice as large.
 */
function latin9(chunk: Buffer): string[] {
  const at: number[] = [];
  for (const [byte] of LATIN9_ONLY) {
    for (let i = chunk.indexOf(byte); i >= 0; i = chunk.indexOf(byte, i + 1)) {
      if (at.length === MAX_PIECES) return [iconv.decode(chunk, 'iso-8859-15')];
      at.push(i);
    }
  }
  const text = chunk.toString('latin1');
  if (at.length === 0) return [text];
  at.sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const i of at) {
    if (i > from) pieces.push(text.slice(from, i));
    pieces.push(LATIN9_CHAR.get(chunk[i]!)!);
    from = i + 1;
  }
  if (from < text.length) pieces.push(text.slice(from));
  return pieces;
}

/**
 * A streaming decoder that also checks the bytes against the encoding: `write` returns the text of each chunk as it
 * comes, `end` the rest and the verdict (null when the bytes agree with the encoding).
 */
export class CheckedDecoder {
  private readonly watch: Utf8Watch | null;
  private readonly utf8: TextDecoder | null;
  private readonly latin: ((chunk: Buffer) => string[]) | null;
  private readonly checkC1: boolean;
  private offset = 0;
  private mismatch: EncodingMismatch | null = null;
  private c1: { byte: number; offset: number } | null = null;

  constructor(readonly encoding: TextEncoding) {
    this.checkC1 = encoding === 'iso-8859-1' || encoding === 'iso-8859-15';
    if (encoding === 'utf-8') {
      this.utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
      this.latin = null;
      this.watch = null;
    } else {
      this.utf8 = null;
      this.latin = latinDecoder(encoding);
      this.watch = new Utf8Watch();
    }
  }

  /**
   * The decoded text of this chunk, in pieces (the text is their concatenation, in order): a character a Latin
   * encoding has beyond Latin-1 (œ, €) is a piece of its own, so that the rest stays in compact one-byte strings.
   * After a UTF-8 error, nothing more (the verdict is final).
   */
  write(chunk: Buffer): string[] {
    if (this.mismatch) return [];
    if (this.utf8) {
      try {
        const text = this.utf8.decode(chunk, { stream: true });
        this.offset += chunk.length;
        return [text];
      } catch {
        this.mismatch = { kind: 'invalid-utf8', offset: this.offset };
        return [];
      }
    }
    this.watch!.push(chunk);
    const text = this.latin!(chunk);
    if (this.checkC1 && this.c1 === null) {
      const at = firstC1(chunk);
      if (at >= 0) this.c1 = { byte: chunk[at]!, offset: this.offset + at };
    }
    this.offset += chunk.length;
    return text;
  }

  end(): { text: string; mismatch: EncodingMismatch | null } {
    if (this.mismatch) return { text: '', mismatch: this.mismatch };
    if (this.utf8) {
      try {
        return { text: this.utf8.decode(), mismatch: null };
      } catch {
        return { text: '', mismatch: { kind: 'invalid-utf8', offset: this.offset } };
      }
    }
    const watch = this.watch!;
    watch.end();
    if (watch.valid && watch.nonAscii) return { text: '', mismatch: { kind: 'utf8-in-latin', sample: watch.sample } };
    if (this.c1) return { text: '', mismatch: { kind: 'windows-1252-in-iso', ...this.c1 } };
    return { text: '', mismatch: null };
  }

  /** A verdict reached before the end (only UTF-8 errors are final early). */
  get failed(): EncodingMismatch | null {
    return this.mismatch;
  }
}

/**
 * The encoding of a CSV file, which declares none: UTF-8 when it starts with the UTF-8 byte-order mark or all of its
 * non-ASCII bytes are valid UTF-8, Windows-1252 otherwise (ONDE writes Latin-1; Windows-1252 reads it the same, plus
 * the curly apostrophe and œ that spreadsheets add).
 */
export function sniffTextEncoding(bytes: Buffer): { encoding: TextEncoding; bom: boolean } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', bom: true };
  return { encoding: !isAscii(bytes) && isUtf8(bytes) ? 'utf-8' : 'windows-1252', bom: false };
}

/** Decodes a whole (small) text file in the encoding sniffed above, without its byte-order mark. */
export function decodeText(bytes: Buffer): { text: string; encoding: TextEncoding } {
  const { encoding, bom } = sniffTextEncoding(bytes);
  const body = bom ? bytes.subarray(3) : bytes;
  return { text: encoding === 'utf-8' ? body.toString('utf8') : latinDecoder(encoding)(body).join(''), encoding };
}
