/**
 * Pure rules of account administration: text folding for search, contact and family statuses, the "points
 * d'attention" and probable duplicate guardians. Used by the core's projection, the renderer and the tests' reference.
 */
import { isValidEmail, isValidFrenchMobile, isValidIne } from './identifiers';

export const ACCOUNT_KINDS = ['pupil', 'guardian'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

/** Directory account states plus `none` for a person who holds no account. */
export const ACCOUNT_STATE_VALUES = ['non_notifie', 'notifie', 'active', 'bloque', 'desactive', 'supprime', 'none'] as const;
export type AccountStateValue = (typeof ACCOUNT_STATE_VALUES)[number];

export const CONTACT_STATUSES = ['none', 'unconfirmed', 'confirmed'] as const;
export type ContactStatus = (typeof CONTACT_STATUSES)[number];

/** "Comptes par famille": how many of the family's legal guardians have activated their account. */
export const FAMILY_STATUSES = ['none', 'some', 'all'] as const;
export type FamilyStatus = (typeof FAMILY_STATUSES)[number];

export const LEVELS = ['college', 'lycee', 'post_bac', 'autre'] as const;
export type Level = (typeof LEVELS)[number];

/** The "points d'attention"; the bit of each in the projection's `attention` column is its index here. */
export const ATTENTION_KEYS = [
  'guardianNoMobile',
  'invalidMobile',
  'invalidEmail',
  'guardianNoContact',
  'pupilNoRecoveryEmail',
  'duplicateGuardian',
  'invalidIne',
  'familyNoActivated',
  'letterExpired',
] as const;
export type AttentionKey = (typeof ATTENTION_KEYS)[number];

export const attentionBit = (key: AttentionKey): number => 1 << ATTENTION_KEYS.indexOf(key);

/** Which kind of list each point concerns (familyNoActivated is shown on both). */
export const ATTENTION_KIND: Record<AttentionKey, AccountKind | 'both'> = {
  guardianNoMobile: 'guardian',
  invalidMobile: 'guardian',
  invalidEmail: 'both',
  guardianNoContact: 'guardian',
  pupilNoRecoveryEmail: 'pupil',
  duplicateGuardian: 'guardian',
  invalidIne: 'pupil',
  familyNoActivated: 'both',
  letterExpired: 'both',
};

export const attentionFromMask = (mask: number): AttentionKey[] => ATTENTION_KEYS.filter((_, i) => (mask & (1 << i)) !== 0);
export const maskFromAttention = (keys: readonly AttentionKey[]): number => keys.reduce((m, k) => m | attentionBit(k), 0);

/**
 * Lower case, accents and ligatures removed, anything but letters and digits turned into single spaces:
 * "Lefèvre-Œuvray" → "lefevre oeuvray". Search terms and indexed names go through the same fold.
 */
export function foldText(value: string | null | undefined): string {
  if (!value) return '';
  return value
    .replace(/[œŒ]/g, 'oe')
    .replace(/[æÆ]/g, 'ae')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The search terms of a free-text query: each must match (as a prefix or a substring) somewhere. */
export const searchTerms = (text: string | undefined): string[] => (text ? foldText(text).split(' ').filter(Boolean) : []);

const present = (value: string | null | undefined): value is string => typeof value === 'string' && value.trim() !== '';

export function contactStatus(value: string | null | undefined, confirmed: boolean | undefined): ContactStatus {
  if (!present(value)) return 'none';
  return confirmed ? 'confirmed' : 'unconfirmed';
}

/** An account counts as activated once its holder has logged in with their own password (a lock keeps it so). */
export const isActivatedState = (state: string | null | undefined): boolean => state === 'active' || state === 'bloque';

export function familyStatus(activated: number, legalGuardians: number): FamilyStatus {
  if (activated === 0 || legalGuardians === 0) return 'none';
  return activated >= legalGuardians ? 'all' : 'some';
}

export const hasInvalidEmail = (email: string | null | undefined): boolean => present(email) && !isValidEmail(email.trim());
export const hasInvalidMobile = (mobile: string | null | undefined): boolean => present(mobile) && !isValidFrenchMobile(mobile);
export const hasValidEmail = (email: string | null | undefined): boolean => present(email) && isValidEmail(email.trim());

export interface DuplicateCandidate {
  id: string;
  lastName: string;
  firstName: string;
  birthDate: string | null;
}

/**
 * Probable duplicate guardians of one establishment: same first name and birth name once folded ("Lefèvre" =
 * "LEFEVRE"), and birth dates that do not contradict each other (equal, or one unknown).
 */
export function probableDuplicates(guardians: readonly DuplicateCandidate[]): Set<string> {
  const groups = new Map<string, DuplicateCandidate[]>();
  for (const g of guardians) {
    const key = `${foldText(g.lastName)}|${foldText(g.firstName)}`;
    const list = groups.get(key);
    if (list) list.push(g);
    else groups.set(key, [g]);
  }
  const out = new Set<string>();
  for (const list of groups.values()) {
    if (list.length < 2) continue;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i]!;
        const b = list[j]!;
        if (a.birthDate === null || b.birthDate === null || a.birthDate === b.birthDate) {
          out.add(a.id);
          out.add(b.id);
        }
      }
    }
  }
  return out;
}

export interface GuardianFacts {
  email: string | null;
  mobile: string | null;
  phoneHome: string | null;
  phoneWork: string | null;
  isLegal: boolean;
  duplicate: boolean;
  family: FamilyStatus;
  /** The account's letter expired without activation (isLetterExpired). */
  letterExpired: boolean;
}

/**
 * « Courrier expiré sans activation »: the account was notified (a letter with a temporary password went out), was not
 * activated, and the letter's 3 months are over at `now`. Such a letter no longer works: a new one is needed.
 */
export function isLetterExpired(state: string | null | undefined, letterExpiresAt: string | null | undefined, now: Date): boolean {
  return state === 'notifie' && typeof letterExpiresAt === 'string' && Date.parse(letterExpiresAt) <= now.getTime();
}

export function guardianAttention(f: GuardianFacts): AttentionKey[] {
  const out: AttentionKey[] = [];
  if (!present(f.mobile)) out.push('guardianNoMobile');
  if (hasInvalidMobile(f.mobile)) out.push('invalidMobile');
  if (hasInvalidEmail(f.email)) out.push('invalidEmail');
  if (f.isLegal && !present(f.email) && !present(f.mobile) && !present(f.phoneHome) && !present(f.phoneWork)) {
    out.push('guardianNoContact');
  }
  if (f.duplicate) out.push('duplicateGuardian');
  if (f.family === 'none') out.push('familyNoActivated');
  if (f.letterExpired) out.push('letterExpired');
  return out;
}

export interface PupilFacts {
  ine: string;
  /** The pupil's own address (school record) and the account's. */
  email: string | null;
  accountEmail: string | null;
  /** Whether one of the pupil's legal guardians has a valid address (a minor's recovery address is the parents'). */
  guardianHasValidEmail: boolean;
  family: FamilyStatus;
  /** The account's letter expired without activation (isLetterExpired). */
  letterExpired: boolean;
}

export function pupilAttention(f: PupilFacts): AttentionKey[] {
  const out: AttentionKey[] = [];
  if (hasInvalidEmail(f.email)) out.push('invalidEmail');
  if (!hasValidEmail(f.email) && !hasValidEmail(f.accountEmail) && !f.guardianHasValidEmail) out.push('pupilNoRecoveryEmail');
  if (!isValidIne(f.ine)) out.push('invalidIne');
  if (f.family === 'none') out.push('familyNoActivated');
  if (f.letterExpired) out.push('letterExpired');
  return out;
}

/** CODE_PARENTE in French. */
export const RELATIONSHIP_LABELS: Record<string, string> = {
  '10': 'Mère',
  '20': 'Père',
  '37': 'Frère ou sœur',
  '38': 'Ascendant',
  '39': 'Autre membre de la famille',
  '41': 'Éducateur',
  '42': 'Assistant familial',
  '50': 'Tuteur',
  '51': 'Aide sociale à l’enfance',
  '70': 'Élève lui-même',
  '90': 'Autre lien',
};

/** NIVEAU_RESPONSABILITE in French. */
export const RESPONSIBILITY_LABELS: Record<number, string> = {
  1: 'Représentant légal',
  2: 'Personne en charge',
  3: 'Personne à contacter',
};

/** French labels of the list values, shared by the Comptes page and the exports. */
export const STATE_LABELS: Record<AccountStateValue, string> = {
  non_notifie: 'Non notifié',
  notifie: 'Notifié',
  active: 'Activé',
  bloque: 'Bloqué',
  desactive: 'Désactivé',
  supprime: 'Supprimé de l’annuaire',
  none: 'Sans compte',
};

export const CONTACT_STATUS_LABELS: Record<ContactStatus, string> = {
  none: 'Sans',
  unconfirmed: 'Non confirmé',
  confirmed: 'Confirmé',
};

export const FAMILY_LABELS: Record<FamilyStatus, string> = {
  none: 'Aucun représentant activé',
  some: 'Certains représentants activés',
  all: 'Tous les représentants activés',
};

export const LEVEL_LABELS: Record<Level, string> = {
  college: 'Collège',
  lycee: 'Lycée',
  post_bac: 'Post-bac',
  autre: 'Autre',
};

export const ATTENTION_LABELS: Record<AttentionKey, string> = {
  guardianNoMobile: 'Responsables sans portable (auto-inscription impossible)',
  invalidMobile: 'Portables invalides',
  invalidEmail: 'Courriels invalides',
  guardianNoContact: 'Représentants légaux sans aucun contact',
  pupilNoRecoveryEmail: 'Élèves sans courriel de récupération',
  duplicateGuardian: 'Doublons probables de responsables',
  invalidIne: 'INE au format invalide',
  familyNoActivated: 'Familles sans représentant activé',
  letterExpired: 'Courriers expirés sans activation',
};

/** How a person is named in every list, heading and letter: usage name (else birth name) in capitals, then first name. */
export const displayName = (lastName: string, usageName: string | null | undefined, firstName: string): string =>
  `${(usageName || lastName).toUpperCase()} ${firstName}`;
