/**
 * The readers under fire: fast-check mutates valid fixture files (flipped, dropped, inserted and repeated bytes, cuts,
 * and pieces of XML or CSV syntax spliced in) and every mutant must end in a school base or a clear refusal
 * (INVALID_FILE with a reason and a French message) within a few seconds: never a crash, never a hang.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import { IMPORT_REFUSALS } from '../../shared/api/methods/imports';
import { readSchoolBase } from '../../electron/core/imports/read';
import { FIXTURE_UAI, FIXTURES_DIR, GENERIC_MAPPING } from '../helpers/import-fixtures';
import { tempDir } from '../helpers/temp';

const scratch = tempDir('ecd-import-fuzz-');
afterAll(() => scratch.remove());

const SPLICES = ['<', '>', '&', '&#', '&#x1F600;', '&#0;', ']]>', '<!DOCTYPE x [<!ENTITY a "b">]>', '<?xml version="1.0"?>', '</ELEVE>', '<ELEVE ELEVE_ID="1">', '"', ';', '\r\n', '\u0000', '\u00ff', 'Œ', '\ud800', '<![CDATA[', '<!--'];

type Mutation =
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'drop'; at: number; length: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'splice'; at: number; text: string }
  | { kind: 'repeat'; at: number; length: number }
  | { kind: 'cut'; at: number };

const position = fc.double({ min: 0, max: 1, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: position, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('drop' as const), at: position, length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('splice' as const), at: position, text: fc.constantFrom(...SPLICES) }),
  fc.record({ kind: fc.constant('repeat' as const), at: position, length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: position }),
) as fc.Arbitrary<Mutation>;

function mutate(bytes: Buffer, mutations: readonly Mutation[]): Buffer {
  let out = bytes;
  for (const m of mutations) {
    const at = Math.floor(m.at * out.length);
    switch (m.kind) {
      case 'flip':
        out = Buffer.from(out);
        if (out.length > 0) out[Math.min(at, out.length - 1)] = m.byte;
        break;
      case 'drop':
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + m.length)]);
        break;
      case 'insert':
        out = Buffer.concat([out.subarray(0, at), Buffer.from(m.bytes), out.subarray(at)]);
        break;
      case 'splice':
        out = Buffer.concat([out.subarray(0, at), Buffer.from(m.text, 'utf8'), out.subarray(at)]);
        break;
      case 'repeat':
        out = Buffer.concat([out.subarray(0, at + m.length), out.subarray(at)]);
        break;
      case 'cut':
        out = out.subarray(0, at);
        break;
    }
  }
  return out;
}

let counter = 0;

/** Reads a mutant; resolves with how it ended, rejects on anything but a base or a clear refusal, or after 5 s. */
async function outcome(name: string, bytes: Buffer, mapping = false): Promise<'base' | string> {
  const path = join(scratch.path, `${counter++}-${name}`);
  writeFileSync(path, bytes);
  const reading = readSchoolBase([path], { uai: FIXTURE_UAI, mapping: mapping ? GENERIC_MAPPING : null }).then(
    () => 'base',
    (error: unknown) => {
      if (!(error instanceof ApiError) || error.code !== 'INVALID_FILE') throw error;
      const reason = (error.details as { reason: string }).reason;
      if (!(IMPORT_REFUSALS as readonly string[]).includes(reason) || error.message.length < 10) throw error;
      return reason;
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer after 5 s for ${name}`)), 5000);
  });
  try {
    return await Promise.race([reading, hang]);
  } finally {
    clearTimeout(timer);
  }
}

const SOURCES: [string, boolean][] = [
  ['siecle/ElevesSansAdresses.xml', false],
  ['siecle/ResponsablesAvecAdresses.xml', false],
  ['siecle-legacy/ResponsablesAvecAdresses.xml', false],
  ['siecle/ExportSiecle.zip', false],
  ['onde/CSVExtraction-eleves.csv', false],
  ['onde/CSVExtraction-responsables.csv', false],
  ['csv/eleves-logiciel-prive.csv', true],
];

describe('fuzzing the readers with mutated valid files', () => {
  it.each(SOURCES)('%s: always a school base or a clear refusal', { timeout: 120_000 }, async (file, mapping) => {
    const original = readFileSync(join(FIXTURES_DIR, file));
    const name = file.split('/').pop()!;
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (mutations) => {
        seen.add(await outcome(name, mutate(original, mutations), mapping));
      }),
      { numRuns: 120, seed: 13, endOnFailure: true },
    );
    // The mutations reach both ends: files still read, and files refused.
    expect(seen.size).toBeGreaterThan(1);
  });

  it('never follows a spliced DTD, whatever else the file holds', { timeout: 60_000 }, async () => {
    const original = readFileSync(join(FIXTURES_DIR, 'siecle/ElevesSansAdresses.xml'));
    const prolog = original.indexOf('?>') + 2;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('<!DOCTYPE BEE_ELEVES SYSTEM "file:///etc/passwd">', '<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:1/">]>', '<!DOCTYPE x [<!ENTITY % p "x">]>'), async (dtd) => {
        const bytes = Buffer.concat([original.subarray(0, prolog), Buffer.from(`\n${dtd}`), original.subarray(prolog)]);
        expect(await outcome('dtd.xml', bytes)).toBe('dtd');
      }),
      { numRuns: 10, seed: 5 },
    );
  });
});
