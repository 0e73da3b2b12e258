/**
 * Pure checks of the identifiers the app meets (DOMAIN.md, "Identifiers"). Formats only where the check digits are
 * not public. No Node or DOM: used by the renderer, the core and the demo directory alike.
 */

// ---------------------------------------------------------------- UAI

const UAI_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const UAI_PATTERN = /^\d{7}[A-Z]$/;

/** The check letter of a UAI from its 7 digits: `UAI_LETTERS[int(digits) mod 23]`. */
export function uaiCheckLetter(digits: string): string {
  if (!/^\d{7}$/.test(digits)) throw new RangeError(`UAI digits must be 7 digits, got "${digits}"`);
  return UAI_LETTERS[Number(digits) % 23]!;
}

export function isValidUai(value: string): boolean {
  return UAI_PATTERN.test(value) && uaiCheckLetter(value.slice(0, 7)) === value[7];
}

// ---------------------------------------------------------------- INE

export type IneFormat = 'rnie' | 'bea' | 'base36' | 'apprentice' | 'provisional';

const INE_FORMATS: ReadonlyArray<readonly [IneFormat, RegExp]> = [
  ['rnie', /^\d{9}[A-HJK]{2}$/],
  ['bea', /^\d{10}[A-HJ-NPR-Z]$/],
  ['apprentice', /^\d{4}A\d{5}[A-HJ-NPR-Z]$/],
  ['provisional', /^\d{4}D\d{5}[A-HJ-NPR-Z]$/],
  ['base36', /^[0-9A-Z]{10}\d$/],
];

/** Which INE format `value` has, or null. Formats are disjoint, so the answer is unique. */
export function ineFormat(value: string): IneFormat | null {
  for (const [format, pattern] of INE_FORMATS) if (pattern.test(value)) return format;
  return null;
}

export const isValidIne = (value: string): boolean => ineFormat(value) !== null;

// ---------------------------------------------------------------- MEF

export type MefLevel = 'college' | 'lycee' | 'post_bac' | 'autre';

const MEF_PATTERN = /^\d{10}[0-9A-Z]$/;

export const isValidMef = (value: string): boolean => MEF_PATTERN.test(value);

/** The level of education of a MEF code from its first digit (1 collège, 2 lycée, 3 post-bac), null when invalid. */
export function mefLevel(value: string): MefLevel | null {
  if (!isValidMef(value)) return null;
  switch (value[0]) {
    case '1':
      return 'college';
    case '2':
      return 'lycee';
    case '3':
      return 'post_bac';
    default:
      return 'autre';
  }
}

// ---------------------------------------------------------------- mobile phones

/**
 * Where a French mobile number belongs. National numbers starting 06/07 are metropolitan, except the overseas
 * ranges below, which E.164 writes with the territory's own country code:
 * 0690/0691 Guadeloupe, Saint-Martin, Saint-Barthélemy (+590); 0694 Guyane (+594); 0696/0697 Martinique (+596);
 * 0692/0693 La Réunion and 0639 Mayotte (+262). (07 00… is an ordinary metropolitan number.)
 */
export type MobileRegion = 'metropole' | 'antilles' | 'guyane' | 'martinique' | 'reunion_mayotte';

const OVERSEAS_MOBILE: ReadonlyArray<readonly [prefix: string, region: MobileRegion, countryCode: string]> = [
  ['690', 'antilles', '590'],
  ['691', 'antilles', '590'],
  ['694', 'guyane', '594'],
  ['696', 'martinique', '596'],
  ['697', 'martinique', '596'],
  ['692', 'reunion_mayotte', '262'],
  ['693', 'reunion_mayotte', '262'],
  ['639', 'reunion_mayotte', '262'],
];

export interface NormalizedMobile {
  /** E.164 form without spaces: "+33612345678", "+590690123456". */
  e164: string;
  region: MobileRegion;
}

/**
 * Parses a French mobile number written nationally ("06 12 34 56 78", "06.12.34.56.78") or internationally
 * ("+33 6 12 34 56 78", "0033612345678", "+590 690 12 34 56"). Returns null for anything else (landlines included).
 */
export function normalizeFrenchMobile(input: string): NormalizedMobile | null {
  // How school software keeps it ("0612345678", "06 12 34 56 78"): no pattern to run (tens of thousands of numbers
  // per import). The same answer as the general reading (a property test compares them).
  const digits = input.length === 14 && input.charCodeAt(2) === 32 ? input.replaceAll(' ', '') : input;
  return isNationalDigits(digits) ? mobileOf(digits.slice(1), null) : normalizeFrenchMobileByPattern(input);
}

/** normalizeFrenchMobile's general reading, for any way of writing the number. */
export function normalizeFrenchMobileByPattern(input: string): NormalizedMobile | null {
  const compact = input.replace(/[\s.\-()]/g, '').replace(/^00/, '+');
  const national = /^0(\d{9})$/.exec(compact);
  if (national) return mobileOf(national[1]!, null);
  const international = /^\+(33|590|594|596|262)(\d{9})$/.exec(compact);
  return international ? mobileOf(international[2]!, international[1]!) : null;
}

/**
 * The mobile whose nine digits after the national 0 are `subscriber` ("612345678"), dialled with `countryCode` (null
 * when written nationally); null when it is no French mobile.
 */
function mobileOf(subscriber: string, countryCode: string | null): NormalizedMobile | null {
  const first = subscriber.charCodeAt(0);
  if (first !== 54 && first !== 55) return null; // 6 or 7

  // The overseas ranges all start 69 or 63: most numbers need not be compared with them.
  let overseas: (typeof OVERSEAS_MOBILE)[number] | undefined;
  const second = subscriber.charCodeAt(1);
  if (first === 54 && (second === 57 || second === 51)) {
    for (const range of OVERSEAS_MOBILE) {
      if (subscriber.startsWith(range[0])) {
        overseas = range;
        break;
      }
    }
  }
  if (overseas) {
    const [, region, cc] = overseas;
    // +33 690… is dialable too, but the canonical form uses the territory code.
    if (countryCode !== null && countryCode !== '33' && countryCode !== cc) return null;
    return { e164: `+${cc}${subscriber}`, region };
  }
  if (countryCode !== null && countryCode !== '33') return null;
  return { e164: `+33${subscriber}`, region: 'metropole' };
}

/** "0" and nine digits, nothing else. */
function isNationalDigits(input: string): boolean {
  if (input.length !== 10 || input.charCodeAt(0) !== 48) return false;
  for (let i = 1; i < 10; i++) {
    const c = input.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

export const isValidFrenchMobile = (input: string): boolean => normalizeFrenchMobile(input) !== null;

// ---------------------------------------------------------------- email

const ASCII_EMAIL =
  /^(?=[^@]{1,64}@)[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}$/;

/**
 * A pragmatic email check (not RFC 5322): one "@", no spaces, a dotted domain with a TLD of two letters or more,
 * no empty labels, at most 254 characters. Only a confirmation message proves an address.
 */
export function isValidEmail(value: string): boolean {
  if (value.length > 254) return false;
  // Most addresses are plain ASCII: one pattern says the same as the checks below (a local part of at most 64
  // characters, no leading, trailing or doubled dot; letter-or-digit labels with inner hyphens; a TLD of letters).
  return ASCII_EMAIL.test(value) || isValidEmailByParts(value);
}

/** isValidEmail's general reading, part by part, for any address (accented ones included). */
export function isValidEmailByParts(value: string): boolean {
  if (value.length > 254) return false;
  const match = /^([^\s@]+)@([^\s@]+)$/.exec(value);
  if (!match) return false;
  const [, local, domain] = match as unknown as [string, string, string];
  if (local.length > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((l) => /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u.test(l))) return false;
  return /^\p{L}{2,}$/u.test(labels.at(-1)!);
}
