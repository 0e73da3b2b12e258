import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ineFormat,
  isValidEmail,
  isValidEmailByParts,
  isValidFrenchMobile,
  isValidIne,
  isValidMef,
  isValidUai,
  mefLevel,
  normalizeFrenchMobile,
  normalizeFrenchMobileByPattern,
  uaiCheckLetter,
} from '../../shared/domain/identifiers';

describe('UAI', () => {
  it('accepts the known valid codes', () => {
    expect(isValidUai('0750654D')).toBe(true);
    expect(isValidUai('0951099D')).toBe(true);
  });
  it('computes the check letter from the 7 digits', () => {
    expect(uaiCheckLetter('0750654')).toBe('D');
    expect(uaiCheckLetter('0000000')).toBe('A');
    expect(uaiCheckLetter('0000022')).toBe('Z');
    expect(() => uaiCheckLetter('075065')).toThrow(RangeError);
  });
  it('rejects a wrong letter, lower case and wrong lengths', () => {
    expect(isValidUai('0750654E')).toBe(false);
    expect(isValidUai('0750654d')).toBe(false);
    expect(isValidUai('075065D')).toBe(false);
    expect(isValidUai('07506540D')).toBe(false);
    expect(isValidUai('')).toBe(false);
  });
  it('never yields the letters I, O, Q', () => {
    const letters = new Set(Array.from({ length: 23 }, (_, i) => uaiCheckLetter(String(i).padStart(7, '0'))));
    expect(letters.size).toBe(23);
    for (const l of 'IOQ') expect(letters.has(l)).toBe(false);
  });
});

describe('INE', () => {
  it.each([
    ['123456789AB', 'rnie'],
    ['123456789JK', 'rnie'],
    ['1234567890A', 'bea'],
    ['1234567890Z', 'bea'],
    ['1234A12345B', 'apprentice'],
    ['1234D12345B', 'provisional'],
    ['0A1B2C3D4E5', 'base36'],
    ['12345678901', 'base36'],
  ] as const)('%s is %s', (ine, format) => {
    expect(ineFormat(ine)).toBe(format);
    expect(isValidIne(ine)).toBe(true);
  });
  it.each(['123456789IL', '1234567890I', '1234567890O', '1234A12345Q', '12345', '123456789ab', '0A1B2C3D4E5F'])(
    'rejects %s',
    (ine) => expect(ineFormat(ine)).toBeNull(),
  );
});

describe('MEF', () => {
  it('accepts 11-character codes and tells the level', () => {
    expect(isValidMef('10010012110')).toBe(true);
    expect(mefLevel('10010012110')).toBe('college');
    expect(mefLevel('20010018110')).toBe('lycee');
    expect(mefLevel('31110000000')).toBe('post_bac');
    expect(mefLevel('40010000000')).toBe('autre');
  });
  it('rejects other lengths and characters', () => {
    expect(isValidMef('1001001211')).toBe(false);
    expect(isValidMef('100100121100')).toBe(false);
    expect(mefLevel('1001001211X0')).toBeNull();
  });
});

describe('French mobile', () => {
  it.each([
    ['06 12 34 56 78', '+33612345678', 'metropole'],
    ['0712345678', '+33712345678', 'metropole'],
    ['07.00.12.34.56', '+33700123456', 'metropole'],
    ['+33 6 12 34 56 78', '+33612345678', 'metropole'],
    ['0033612345678', '+33612345678', 'metropole'],
    ['06-12-34-56-78', '+33612345678', 'metropole'],
    ['0690 12 34 56', '+590690123456', 'antilles'],
    ['+590 690 12 34 56', '+590690123456', 'antilles'],
    ['0694123456', '+594694123456', 'guyane'],
    ['0696123456', '+596696123456', 'martinique'],
    ['0692123456', '+262692123456', 'reunion_mayotte'],
    ['0639123456', '+262639123456', 'reunion_mayotte'],
    ['+33 690 12 34 56', '+590690123456', 'antilles'],
  ] as const)('%s → %s', (input, e164, region) => {
    expect(normalizeFrenchMobile(input)).toEqual({ e164, region });
  });
  it.each(['01 23 45 67 89', '0612345', '061234567890', '+33 1 23 45 67 89', '+590 612345678', '+262 690123456', 'abc', ''])(
    'rejects %s',
    (input) => expect(isValidFrenchMobile(input)).toBe(false),
  );
});

describe('email', () => {
  it.each(['marie.dupont@example.fr', 'j-b.lefèvre@laposte.net', 'a+tag@sub.domaine.com', 'élise@orange.fr'])(
    'accepts %s',
    (email) => expect(isValidEmail(email)).toBe(true),
  );
  it.each(['', 'marie', 'marie@', '@example.fr', 'marie@example', 'marie@@example.fr', 'ma rie@example.fr',
    'marie..d@example.fr', '.marie@example.fr', 'marie@example.f', 'marie@-example.fr', 'marie@example..fr',
    'marie@example.fr.'])('rejects %s', (email) => expect(isValidEmail(email)).toBe(false));
});

/**
 * The fast paths (ten digits for a mobile, an ASCII address for an email) must say exactly what the general readings
 * say, for anything.
 */
describe('fast paths agree with the general readings', () => {
  const pick = (chars: string, min: number, max: number) =>
    fc.array(fc.constantFrom(...chars.split('')), { minLength: min, maxLength: max }).map((a) => a.join(''));
  it('mobiles: digits, separators and prefixes', () => {
    const spaced = fc.array(pick('0123456789', 2, 2), { minLength: 5, maxLength: 5 }).map((pairs) => pairs.join(' '));
    const number = fc.oneof(pick('0123456789', 8, 12), spaced, pick('067 ', 14, 14), pick('0067 .-+9()', 8, 16), fc.string({ maxLength: 14 }));
    fc.assert(fc.property(number, (input) => {
      expect(normalizeFrenchMobile(input)).toEqual(normalizeFrenchMobileByPattern(input));
    }), { numRuns: 5000 });
    for (const input of ['06 12 34 56 78', '07 00 00 00 00', '06 12 34 56 7x', '06  12 34 5678', '0612345678', '0712345678', '0690123456', '0639123456', '0012345678', '0512345678', '06123456780'])
      expect(normalizeFrenchMobile(input)).toEqual(normalizeFrenchMobileByPattern(input));
  });
  it('emails: ASCII and accented, well and badly formed', () => {
    const part = pick('abzAZ09.-_+@é ', 0, 12);
    const email = fc.oneof(
      fc.tuple(part, part, pick('abc.-', 0, 8), pick('frcomé1', 0, 4)).map(([a, b, c, d]) => `${a}@${b}.${c}.${d}`),
      fc.tuple(pick('ab.', 0, 70), pick('ab.-', 1, 8)).map(([a, b]) => `${a}@${b}.fr`),
      fc.string({ maxLength: 30 }),
    );
    fc.assert(fc.property(email, (input) => {
      expect(isValidEmail(input)).toBe(isValidEmailByParts(input));
    }), { numRuns: 5000 });
  });
});
