/**
 * The fields of a school record staff read (an import's changes, its report): their order, French names, and how a
 * value is written out. Pure; the core and the renderer share it.
 */
import { IDENTITY_FIELD_LABELS } from './review';

/** The fields shown, in order: identity first (the review compares those), then what the school base adds. */
export const SCHOOL_DISPLAY_FIELDS = [
  'lastName', 'usageName', 'firstName', 'firstName2', 'firstName3', 'birthDate', 'sex', 'birthCity', 'ine', 'mef', 'mefLabel',
  'division', 'entryDate', 'leftDate', 'civility', 'email', 'mobile', 'phoneHome', 'phoneWork', 'address',
] as const;
export type SchoolDisplayField = (typeof SCHOOL_DISPLAY_FIELDS)[number];

export const SCHOOL_FIELD_LABELS: Record<SchoolDisplayField, string> = {
  ...(IDENTITY_FIELD_LABELS as Record<'lastName' | 'usageName' | 'firstName' | 'firstName2' | 'birthDate' | 'sex' | 'birthCity' | 'email' | 'mobile', string>),
  firstName3: 'Troisième prénom',
  ine: 'INE',
  mef: 'MEF',
  mefLabel: 'Niveau',
  division: 'Classe',
  entryDate: 'Date d’entrée',
  leftDate: 'Date de sortie',
  civility: 'Civilité',
  phoneHome: 'Téléphone domicile',
  phoneWork: 'Téléphone travail',
  address: 'Adresse',
};

interface Address {
  line1?: string;
  line2?: string | null;
  postalCode?: string;
  city?: string;
  country?: string;
}

/** A stored value as text: an address on one line, no value as null. */
export function schoolValueText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const a = value as Address;
    const country = a.country && a.country.toUpperCase() !== 'FRANCE' ? a.country : '';
    return [a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(' '), country].filter((p) => p && String(p).trim() !== '').join(', ') || null;
  }
  if (Array.isArray(value)) return value.length === 0 ? null : value.join(', ');
  return String(value);
}
