/**
 * The school base as an import reads it, whatever its source (SIECLE, ONDE, CSV): pupils, guardians and the links
 * between them, each with the school-record fields the file carries, plus the problems found on the way. Plain data,
 * JSON-serialisable: a preview keeps it until it is applied.
 */
import type { ImportFile, ImportProblem, ImportProblemCode, ImportSource } from '../../../shared/api/methods/imports';
import type { IdentityField, PostalAddress, ResponsibilityLevel } from '../../../shared/directory/wire';
import { importStrings } from './strings';

/** The school-record fields an import may bring, beyond the identity fields the review compares. */
export interface SchoolFields {
  lastName?: string | null;
  usageName?: string | null;
  firstName?: string | null;
  firstName2?: string | null;
  firstName3?: string | null;
  birthDate?: string | null;
  sex?: 'M' | 'F' | null;
  birthCity?: string | null;
  email?: string | null;
  mobile?: string | null;
  // pupils
  ine?: string | null;
  mef?: string | null;
  mefLabel?: string | null;
  division?: string | null;
  groups?: string[];
  entryDate?: string | null;
  leftDate?: string | null;
  // guardians
  civility?: 'M.' | 'Mme' | null;
  phoneHome?: string | null;
  phoneWork?: string | null;
  address?: PostalAddress | null;
  smsAllowed?: boolean | null;
}

export interface SourceKeys {
  siecle?: string;
  onde?: string;
  /** A generic CSV's own pupil id. */
  local?: string;
}

interface ImportedPerson {
  /** Unique within the import (`siecle:1000042`, `onde:…`, `csv:…`); links name persons by it. */
  key: string;
  label: string;
  sourceIds: SourceKeys;
  data: SchoolFields;
  /** The identity fields the file carries for this person: only those are compared with the directory. */
  carried: readonly IdentityField[];
  file: string;
  where: string;
}

export interface ImportedPupil extends ImportedPerson {
  /** A well-formed INE held by this pupil only in the import, to match by; null otherwise. */
  matchIne: string | null;
  /** The file marks the pupil as gone (DATE_SORTIE, class « Inactifs »). */
  left: boolean;
}

export type ImportedGuardian = ImportedPerson;

export interface ImportedLink {
  pupilKey: string;
  guardianKey: string;
  level: ResponsibilityLevel;
  relationship: string | null;
  financial: boolean;
  contact: boolean;
}

export interface SchoolBase {
  source: ImportSource;
  files: ImportFile[];
  /** The establishment the files name (SIECLE's UAJ), already checked against the one imported into. */
  uai: string | null;
  pupils: ImportedPupil[];
  guardians: ImportedGuardian[];
  links: ImportedLink[];
  /** The files list every pupil / every guardian of the establishment: one missing from them has left. */
  complete: { pupils: boolean; guardians: boolean };
  /** The files' fingerprints, in order (fingerprint.ts, hashed as they were read): the same files are recognised, changed ones too. */
  fingerprint: string;
  problems: ImportProblem[];
}

/** "DUPONT Léa", as the review queue names people (usage name first). */
export function labelOf(data: SchoolFields): string {
  // toUpperCase, not toLocaleUpperCase('fr'): the same for French, and a tenth of the cost over a whole export.
  const last = (data.usageName || data.lastName || '').toUpperCase();
  return `${last} ${data.firstName ?? ''}`.trim();
}

type ProblemArgs<C extends ImportProblemCode> = Parameters<(typeof importStrings.problems)[C]>;

/** Collects problems with their French explanation. */
export class Problems {
  readonly list: ImportProblem[] = [];

  add<C extends ImportProblemCode>(severity: ImportProblem['severity'], code: C, at: { file: string; where: string }, ...args: ProblemArgs<C>): void {
    const explain = importStrings.problems[code] as (...a: ProblemArgs<C>) => string;
    this.list.push({ file: at.file, where: at.where, code, severity, message: explain(...args) });
  }
}
