/**
 * Every scalar filter value of a projection row packed into one integer (`facet_key`, 22 bits): the scalar filters
 * are bit tests on it (in the sort indexes, which carry it, and in the text indexes' row ids, which embed it), and
 * the counts per filter value are sums over the few hundred distinct keys of a list (acc_facet_counts), decoded here.
 */
import type { AccountFilters } from '../../../shared/api/methods/accounts';
import {
  ACCOUNT_STATE_VALUES,
  ATTENTION_KEYS,
  CONTACT_STATUSES,
  FAMILY_STATUSES,
  LEVELS,
  type AccountStateValue,
  type ContactStatus,
  type FamilyStatus,
  type Level,
} from '../../../shared/domain/accounts';

export interface FacetValues {
  state: AccountStateValue;
  family: FamilyStatus;
  email: ContactStatus;
  mobile: ContactStatus;
  /** Points d'attention bit mask. */
  attention: number;
  /** Levels bit mask (a guardian's children may span several). */
  levels: number;
}

export const levelBit = (level: Level): number => 1 << LEVELS.indexOf(level);
export const levelMask = (levels: readonly string[]): number =>
  levels.reduce((m, l) => m | ((LEVELS as readonly string[]).includes(l) ? levelBit(l as Level) : 0), 0);

/**
 * The layout (migration 009): state 3 bits, family 2, email 2, mobile 2, attention 9 (one per ATTENTION_KEYS entry,
 * `letterExpired` being the 9th), levels 4. The text indexes' row ids embed it in 22 bits (projection.ts TEXT_KEY_SQL).
 */
export const ATTENTION_SHIFT = 9;
export const ATTENTION_MASK = (1 << ATTENTION_KEYS.length) - 1;
export const LEVELS_SHIFT = ATTENTION_SHIFT + ATTENTION_KEYS.length;
const LEVELS_MASK = 0xf;
/** Bits of a facet key. */
export const FACET_KEY_BITS = LEVELS_SHIFT + 4;

export function encodeFacetKey(v: FacetValues): number {
  return (
    ACCOUNT_STATE_VALUES.indexOf(v.state) |
    (FAMILY_STATUSES.indexOf(v.family) << 3) |
    (CONTACT_STATUSES.indexOf(v.email) << 5) |
    (CONTACT_STATUSES.indexOf(v.mobile) << 7) |
    ((v.attention & ATTENTION_MASK) << ATTENTION_SHIFT) |
    ((v.levels & LEVELS_MASK) << LEVELS_SHIFT)
  );
}

export function decodeFacetKey(key: number): FacetValues {
  return {
    state: ACCOUNT_STATE_VALUES[key & 0x7]!,
    family: FAMILY_STATUSES[(key >> 3) & 0x3]!,
    email: CONTACT_STATUSES[(key >> 5) & 0x3]!,
    mobile: CONTACT_STATUSES[(key >> 7) & 0x3]!,
    attention: (key >> ATTENTION_SHIFT) & ATTENTION_MASK,
    levels: (key >> LEVELS_SHIFT) & LEVELS_MASK,
  };
}

/** The facet key with another attention mask (the rest unchanged). */
export const withAttention = (key: number, attention: number): number =>
  (key & ~(ATTENTION_MASK << ATTENTION_SHIFT)) | ((attention & ATTENTION_MASK) << ATTENTION_SHIFT);

/** Where each scalar filter field sits in a facet key. */
const FIELDS = {
  state: { shift: 0, mask: 0x7, values: ACCOUNT_STATE_VALUES as readonly string[] },
  family: { shift: 3, mask: 0x3, values: FAMILY_STATUSES as readonly string[] },
  email: { shift: 5, mask: 0x3, values: CONTACT_STATUSES as readonly string[] },
  mobile: { shift: 7, mask: 0x3, values: CONTACT_STATUSES as readonly string[] },
} as const;

export type ScalarFilterField = 'state' | 'family' | 'email' | 'mobile' | 'level' | 'attention';
export const SCALAR_FILTER_FIELDS: readonly ScalarFilterField[] = ['state', 'family', 'email', 'mobile', 'level', 'attention'];

export interface Clause {
  sql: string;
  params: unknown[];
}

/**
 * The scalar filters (state, family, email, mobile, level, attention; all but `except`) as bit tests on the facet key
 * `key` (an SQL expression: a column, or the key embedded in a text index row id). Values are bound, never spliced;
 * unknown values match nothing. `1` when no scalar filter applies.
 */
export function facetPredicate(key: string, filters: AccountFilters, except?: string): Clause {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const field of SCALAR_FILTER_FIELDS) {
    const values = filters[field];
    if (field === except || !values || values.length === 0) continue;
    if (field === 'level') {
      parts.push(`((${key}) & ?) <> 0`);
      params.push(levelMask(values) << LEVELS_SHIFT);
    } else if (field === 'attention') {
      parts.push(`((${key}) & ?) <> 0`);
      params.push(maskOfKeys(values) << ATTENTION_SHIFT);
    } else {
      const { shift, mask, values: all } = FIELDS[field];
      const codes = [...new Set(values.map((v) => all.indexOf(v)).filter((i) => i >= 0))];
      if (codes.length === 0) {
        parts.push('0');
        continue;
      }
      parts.push(`(((${key}) >> ${shift}) & ${mask}) IN (${codes.map(() => '?').join(', ')})`);
      params.push(...codes);
    }
  }
  return { sql: parts.length === 0 ? '1' : parts.join(' AND '), params };
}

const maskOfKeys = (keys: readonly string[]): number =>
  keys.reduce((m, k) => {
    const i = (ATTENTION_KEYS as readonly string[]).indexOf(k);
    return i < 0 ? m : m | (1 << i);
  }, 0);

/** Whether a facet key passes the scalar filters (all but `except`): facetPredicate, in JS. */
export function facetPasses(key: number, filters: AccountFilters, except?: string): boolean {
  const v = decodeFacetKey(key);
  const has = (field: ScalarFilterField, value: string) => {
    const values = filters[field] as readonly string[] | undefined;
    return field === except || !values || values.length === 0 || values.includes(value);
  };
  return (
    has('state', v.state) &&
    has('family', v.family) &&
    has('email', v.email) &&
    has('mobile', v.mobile) &&
    (except === 'level' || !filters.level?.length || (v.levels & levelMask(filters.level)) !== 0) &&
    (except === 'attention' || !filters.attention?.length || (v.attention & maskOfKeys(filters.attention)) !== 0)
  );
}
