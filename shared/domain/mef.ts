/** The MEF codes of the general collège and lycée levels (BCN nomenclature), with their labels and usual age. */
export interface MefEntry {
  code: string;
  /** LIBELLE_EDITION-like short label. */
  label: string;
  /** Class prefix used for divisions (6A, 2NDE1…). */
  divisionPrefix: string;
  /** Age reached during the calendar year in which the school year starts, for a pupil who never repeated nor skipped a year. */
  normalAge: number;
}

export const COLLEGE_MEFS: readonly MefEntry[] = [
  { code: '10010012110', label: '6EME', divisionPrefix: '6', normalAge: 11 },
  { code: '10110001110', label: '5EME', divisionPrefix: '5', normalAge: 12 },
  { code: '10210001110', label: '4EME', divisionPrefix: '4', normalAge: 13 },
  { code: '10310019110', label: '3EME', divisionPrefix: '3', normalAge: 14 },
];

export const LYCEE_MEFS: readonly MefEntry[] = [
  { code: '20010018110', label: '2NDE GT', divisionPrefix: '2NDE', normalAge: 15 },
  { code: '20110019110', label: '1ERE G', divisionPrefix: '1G', normalAge: 16 },
  { code: '20210019110', label: 'TLE G', divisionPrefix: 'TG', normalAge: 17 },
];

export const KNOWN_MEFS: readonly MefEntry[] = [...COLLEGE_MEFS, ...LYCEE_MEFS];

export const findMef = (code: string): MefEntry | undefined => KNOWN_MEFS.find((m) => m.code === code);
