/**
 * Every scalar filter value of a projection row packed into one integer (`facet_key`), so that the counts per filter
 * value are one grouped pass over a narrow index: `GROUP BY facet_key` gives a few hundred keys, decoded here.
 */
import {
  ACCOUNT_STATE_VALUES,
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

// state: 3 bits, family: 2, email: 2, mobile: 2, attention: 8, levels: 4.
export function encodeFacetKey(v: FacetValues): number {
  return (
    ACCOUNT_STATE_VALUES.indexOf(v.state) |
    (FAMILY_STATUSES.indexOf(v.family) << 3) |
    (CONTACT_STATUSES.indexOf(v.email) << 5) |
    (CONTACT_STATUSES.indexOf(v.mobile) << 7) |
    ((v.attention & 0xff) << 9) |
    ((v.levels & 0xf) << 17)
  );
}

export function decodeFacetKey(key: number): FacetValues {
  return {
    state: ACCOUNT_STATE_VALUES[key & 0x7]!,
    family: FAMILY_STATUSES[(key >> 3) & 0x3]!,
    email: CONTACT_STATUSES[(key >> 5) & 0x3]!,
    mobile: CONTACT_STATUSES[(key >> 7) & 0x3]!,
    attention: (key >> 9) & 0xff,
    levels: (key >> 17) & 0xf,
  };
}
