import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clean, parseDate, parseDateByPattern } from '../../electron/core/imports/values';

/** What parseDate's general reading gives for a value (trimmed; empty is null). */
function general(value: string): string | null | undefined {
  const text = value.trim();
  return text === '' ? null : parseDateByPattern(text);
}

describe('school export dates', () => {
  it.each([
    ['06/07/2010', '2010-07-06'],
    ['29/02/2012', '2012-02-29'],
    ['6/7/2010', '2010-07-06'],
    ['2010-07-06', '2010-07-06'],
    [' 01/09/2025 ', '2025-09-01'],
    ['', null],
    ['29/02/2011', undefined],
    ['31/04/2010', undefined],
    ['00/01/2010', undefined],
    ['01/13/2010', undefined],
    ['01/01/1899', undefined],
    ['0a/01/2010', undefined],
    ['01-01-2010', undefined],
  ])('%j → %j', (input, expected) => expect(parseDate(input)).toBe(expected));

  it('reads "jj/mm/aaaa" quickly and exactly as the general pattern does', () => {
    const digit = fc.constantFrom(...'0123456789/-x '.split(''));
    const shaped = fc.tuple(fc.array(digit, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 2, maxLength: 2 }), fc.array(digit, { minLength: 4, maxLength: 4 }))
      .map(([d, m, y]) => `${d.join('')}/${m.join('')}/${y.join('')}`);
    const dates = fc.oneof(shaped, fc.date({ min: new Date('1890-01-01'), max: new Date('2110-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10).split('-').reverse().join('/')), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(dates, (input) => {
        expect(parseDate(input)).toBe(general(input));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('clean', () => {
  it('trims and makes inner whitespace runs single spaces, as the pattern does, whatever the whitespace', () => {
    const pieces = fc.constantFrom('a', 'É', 'œ', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u2003', '\u3000', '\u0001', '-', "'");
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 12 }), (parts) => {
        const input = parts.join('');
        const trimmed = input.trim();
        expect(clean(input)).toBe(trimmed === '' ? null : trimmed.replace(/\s+/gu, ' '));
      }),
      { numRuns: 5000 },
    );
  });
});
