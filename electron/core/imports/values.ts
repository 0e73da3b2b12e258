/** Pure readings of the values school exports hold: dates, sex codes, civilities, and names compared loosely. */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `jj/mm/aaaa` (SIECLE, ONDE) or `aaaa-mm-jj` to ISO; null when absent; `undefined` when not a real date. */
export function parseDate(value: string | null | undefined): string | null | undefined {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  // SIECLE's and ONDE's own form, "06/07/2010" (three dates per pupil): read without a pattern.
  if (text.length === 10 && text.charCodeAt(2) === 47 && text.charCodeAt(5) === 47) {
    const day = digits(text, 0, 2);
    const month = digits(text, 3, 5);
    const year = digits(text, 6, 10);
    if (day >= 0 && month >= 0 && year >= 0) return isoDate(year, month, day);
  }
  return parseDateByPattern(text);
}

/** parseDate's general reading (of a trimmed, non-empty text), which its fast path agrees with (a property test). */
export function parseDateByPattern(text: string): string | undefined {
  const french = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const iso = french ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!french && !iso) return undefined;
  const year = Number(french ? french[3] : iso![1]);
  const month = Number(french ? french[2] : iso![2]);
  const day = Number(french ? french[1] : iso![3]);
  return isoDate(year, month, day);
}

/** A real date of 1900–2100 as `aaaa-mm-jj`; `undefined` otherwise. */
function isoDate(year: number, month: number, day: number): string | undefined {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (day > (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!)) return undefined;
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** The number the ASCII digits `text[from..to)` write; -1 when one of them is not a digit. */
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** SIECLE's CODE_SEXE (1, 2), ONDE's and spreadsheets' letters; `undefined` when unknown. */
export function parseSex(value: string | null): 'M' | 'F' | null | undefined {
  if (value === null || value.trim() === '') return null;
  const v = value.trim().toUpperCase();
  if (['1', 'M', 'H', 'G', 'MASCULIN', 'GARÇON', 'GARCON'].includes(v)) return 'M';
  if (['2', 'F', 'FÉMININ', 'FEMININ', 'FILLE'].includes(v)) return 'F';
  return undefined;
}

/** LC_CIVILITE (M., MME, MLLE) and ONDE's civility. */
export function parseCivility(value: string | null): 'M.' | 'Mme' | null {
  if (value === null) return null;
  // SIECLE's own spellings first (one per guardian): no copy made.
  if (value === 'M.' || value === 'M') return 'M.';
  if (value === 'MME' || value === 'Mme') return 'Mme';
  const v = value.trim().toUpperCase().replace(/\.$/, '');
  if (v === 'M' || v === 'MR' || v === 'MONSIEUR') return 'M.';
  if (v === 'MME' || v === 'MLLE' || v === 'MADAME' || v === 'MADEMOISELLE') return 'Mme';
  return null;
}

const SPACE_RUN = /\s\s|[^\S ]/u;

/** Trimmed text with its inner whitespace runs made single spaces; null when empty. */
export function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  // Most values have nothing to collapse: look before replacing (a hundred thousand values per export).
  return hasSpaceRun(text) ? text.replace(/\s+/gu, ' ') : text;
}

/**
 * Whether the text has whitespace other than single spaces (what `SPACE_RUN` finds), by a scan of its characters: a
 * pattern costs more than the scan on the short values of an export. Other whitespace than ASCII's (no-break space,
 * U+1680 and above) is left to the pattern.
 */
function hasSpaceRun(text: string): boolean {
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 32) {
      if (c === 0xa0 || c >= 0x1680) return SPACE_RUN.test(text);
      space = false;
    } else if (c !== 32 || space) {
      // A tab, a line break (or a control character: replacing changes nothing then), or a second space.
      return true;
    } else {
      space = true;
    }
  }
  return false;
}

/**
 * A name as matching compares it: without accents, case, ligatures or punctuation ("Lætitia D'Almeida-Nœl" and
 * "LAETITIA D ALMEIDA NOEL" are the same key). Used to match, never stored as the person's name.
 */
export function nameKey(value: string | null | undefined): string {
  if (!value) return '';
  return value
    .replace(/œ/gu, 'oe')
    .replace(/Œ/gu, 'OE')
    .replace(/æ/gu, 'ae')
    .replace(/Æ/gu, 'AE')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
