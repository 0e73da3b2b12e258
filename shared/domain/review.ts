/**
 * Pure rules of the identity-change review queue: the character diff shown side by side, the classification of a
 * difference (case, accents, whitespace, hyphens), the low-risk rule of bulk acceptance, and which item states a newer
 * change supersedes or a decision may apply to. No I/O: the core and the renderer share them.
 */

export const REVIEW_STATES = ['pending', 'accepted', 'rejected', 'deferred', 'superseded', 'conflict'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/** States still waiting for the head: a newer change to the same field supersedes them. */
export const OPEN_STATES: readonly ReviewState[] = ['pending', 'deferred', 'conflict'];

/** States a decision (accept, reject, defer) may be taken on. */
export const DECIDABLE_STATES: readonly ReviewState[] = ['pending', 'deferred', 'conflict'];

/** States an undo brings back to pending (as long as the decision has not reached the directory). */
export const UNDOABLE_STATES: readonly ReviewState[] = ['accepted', 'rejected', 'deferred'];


/** Name-like fields, where case, accents and whitespace differences are spelling only. */
export const NAME_FIELDS = ['lastName', 'usageName', 'firstName', 'firstName2', 'birthCity'] as const;
export const CONTACT_FIELDS = ['email', 'mobile'] as const;

export type DifferenceKind = 'case' | 'accents' | 'whitespace' | 'hyphens' | 'other';

export interface DiffSegment {
  op: 'same' | 'removed' | 'added';
  text: string;
}

const stripAccents = (value: string): string => value.normalize('NFD').replace(/\p{M}/gu, '');
const collapseSpaces = (value: string): string => value.replace(/\s+/gu, ' ').trim();
const HYPHENS = /[-‐‑‒–—]/gu;

/**
 * Character-level diff (longest common subsequence) of two short values, compared in NFC so a decomposed accent
 * counts as one character. Values are names, emails and phone numbers: a few dozen characters at most.
 */
export function charDiff(before: string | null, after: string | null): DiffSegment[] {
  const a = [...(before ?? '').normalize('NFC')];
  const b = [...(after ?? '').normalize('NFC')];
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const segments: DiffSegment[] = [];
  const push = (op: DiffSegment['op'], ch: string) => {
    const last = segments.at(-1);
    if (last?.op === op) last.text += ch;
    else segments.push({ op, text: ch });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push('same', a[i]!);
      i++;
      j++;
    } else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) push('removed', a[i++]!);
    else push('added', b[j++]!);
  }
  while (i < n) push('removed', a[i++]!);
  while (j < m) push('added', b[j++]!);
  return segments;
}

/** A visible stand-in for characters the eye misses: spaces, non-breaking spaces, tabs. */
export function visibleText(text: string): string {
  return text.replace(/\u00a0/gu, '⍽').replace(/\t/gu, '⇥').replace(/ /gu, '␣');
}

/**
 * What kind of difference separates two values. `[]` when they are equal. Only `other` means a different value;
 * the rest are spellings of the same value.
 */
export function differenceKinds(before: string | null, after: string | null): DifferenceKind[] {
  const a = (before ?? '').normalize('NFC');
  const b = (after ?? '').normalize('NFC');
  if (a === b) return [];
  if (before === null || after === null) return ['other'];
  const kinds: DifferenceKind[] = [];
  const steps: [DifferenceKind, (v: string) => string][] = [
    ['whitespace', collapseSpaces],
    ['case', (v) => v.toLocaleLowerCase('fr')],
    ['accents', stripAccents],
    ['hyphens', (v) => collapseSpaces(v.replace(HYPHENS, ' '))],
  ];
  let x = a;
  let y = b;
  for (const [kind, normalize] of steps) {
    const nx = normalize(x);
    const ny = normalize(y);
    if (nx !== x || ny !== y) {
      // The step mattered only if it removed part of the difference.
      if (x !== y && (nx === ny || distinctChars(nx, ny) < distinctChars(x, y))) kinds.push(kind);
    }
    x = nx;
    y = ny;
  }
  if (x !== y) kinds.push('other');
  return kinds.length > 0 ? kinds : ['other'];
}

function distinctChars(a: string, b: string): number {
  return charDiff(a, b).reduce((sum, s) => sum + (s.op === 'same' ? 0 : [...s.text].length), 0);
}

export interface LowRiskInput {
  field: string;
  schoolValue: string | null;
  newValue: string | null;
  /** Contact fields: the directory holds this value and marks it confirmed (email link clicked, SMS code entered). */
  contactConfirmed: boolean;
}

/**
 * Low-risk items may be accepted in bulk after a preview: a name spelled differently only by case, accents or
 * whitespace, or contact data the directory has confirmed. Hyphens are not low risk: "Jean-Marie" and "Jean Marie"
 * may be one compound first name or two first names.
 */
export function isLowRisk(item: LowRiskInput): boolean {
  if ((CONTACT_FIELDS as readonly string[]).includes(item.field)) {
    return item.contactConfirmed && item.newValue !== null && item.newValue !== '';
  }
  if (!(NAME_FIELDS as readonly string[]).includes(item.field)) return false;
  const kinds = differenceKinds(item.schoolValue, item.newValue);
  return kinds.length > 0 && kinds.every((k) => k === 'case' || k === 'accents' || k === 'whitespace');
}

/** The school value no longer is what the item was computed against: the head must look again. */
export function schoolValueChanged(recorded: string | null, current: string | null): boolean {
  return (recorded ?? null) !== (current ?? null);
}

/** Contact values compared as the directory would store them: emails case-insensitively, mobiles by digits. */
export function sameContactValue(field: string, a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  if (field === 'email') return a.trim().toLowerCase() === b.trim().toLowerCase();
  if (field === 'mobile') return mobileDigits(a) === mobileDigits(b);
  return a === b;
}

function mobileDigits(value: string): string {
  const digits = value.replace(/[\s.\-()]/gu, '');
  return digits.startsWith('+33') ? `0${digits.slice(3)}` : digits.startsWith('0033') ? `0${digits.slice(4)}` : digits;
}

/** The French name of each identity field, as staff read it on screen and in exports. */
export const IDENTITY_FIELD_LABELS: Record<string, string> = {
  lastName: 'Nom de famille',
  usageName: "Nom d'usage",
  firstName: 'Prénom',
  firstName2: 'Deuxième prénom',
  birthDate: 'Date de naissance',
  sex: 'Sexe',
  birthCity: 'Commune de naissance',
  email: 'Courriel',
  mobile: 'Téléphone portable',
};
