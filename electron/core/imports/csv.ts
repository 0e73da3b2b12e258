/**
 * CSV sources: ONDE's two extractions (CSVExtraction.csv: the pupils, and the guardians with their children by name;
 * semicolons, Latin-1, a footer line) and a generic CSV whose columns the establishment maps once. ONDE has no
 * guardian ids: guardians are tied to their children by name (and class when names repeat). CSV files are small (a
 * school's pupils, a few thousand rows): they are read whole, then parsed by Papa Parse.
 */
import Papa from 'papaparse';
import type { CsvField, CsvMapping, ImportFileKind } from '../../../shared/api/methods/imports';
import type { IdentityField } from '../../../shared/directory/wire';
import { isValidEmail, isValidFrenchMobile, isValidIne, normalizeFrenchMobile } from '../../../shared/domain/identifiers';
import { decodeText } from './encoding';
import { labelOf, type Problems, type ImportedGuardian, type ImportedLink, type ImportedPupil, type SchoolFields } from './model';
import { refuse } from './refuse';
import { flagDuplicateInes } from './siecle';
import { importStrings } from './strings';
import { clean, nameKey, parseCivility, parseDate, parseSex } from './values';

const s = importStrings;

export interface CsvTable {
  headers: string[];
  rows: { cells: string[]; line: number }[];
}

/** Decodes (UTF-8 or Latin) and splits a CSV file; the delimiter is guessed among `;`, `,` and tab. */
export function readCsvTable(name: string, bytes: Buffer): CsvTable {
  const { text } = decodeText(bytes);
  const parsed = Papa.parse<string[]>(text, { delimitersToGuess: [';', ',', '\t'], skipEmptyLines: 'greedy' });
  const broken = parsed.errors.find((e) => e.type === 'Quotes');
  if (broken) throw refuse('csv-malformed', s.refusal.csvMalformed(name, `guillemets non refermés vers la ligne ${(broken.row ?? 0) + 1}`), { file: name });
  const [head, ...body] = parsed.data;
  if (!head || head.every((c) => c.trim() === '')) throw refuse('empty', s.refusal.empty(name), { file: name });
  const headers = head.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  // Lines are counted from the header (line 1); Papa Parse keeps the order and drops only blank lines.
  const rows = body.map((cells, i) => ({ cells, line: i + 2 }));
  // ONDE ends its extraction with a line that is not a row (a total or the date): fewer than half the columns.
  const last = rows.at(-1);
  if (last && last.cells.filter((c) => c.trim() !== '').length <= Math.max(1, Math.floor(headers.length / 2)) && last.cells.length < headers.length) rows.pop();
  return { headers, rows };
}

const key = (header: string) => nameKey(header);

/** Which kind of CSV this is, from its header row. */
export function csvKind(headers: readonly string[]): ImportFileKind {
  const keys = new Set(headers.map(key));
  if (keys.has('NOM ELEVE') && keys.has('PRENOM ELEVE')) return 'onde-eleves';
  if (keys.has('CIVILITE RESPONSABLE') || (keys.has('NOM RESPONSABLE') && keys.has('PRENOM RESPONSABLE'))) return 'onde-responsables';
  return 'csv';
}

/** A cell by the (loosely compared) header name. */
function columns(headers: readonly string[]): (row: string[], ...names: string[]) => string | null {
  const index = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!index.has(key(h))) index.set(key(h), i);
  });
  return (row, ...names) => {
    for (const n of names) {
      const i = index.get(key(n));
      if (i !== undefined) return clean(row[i]);
    }
    return null;
  };
}

function hasColumn(headers: readonly string[], name: string): boolean {
  return headers.some((h) => key(h) === key(name));
}

/** The rows whose number of cells is off are left out, and said so. */
function wellFormed(table: CsvTable, file: string, problems: Problems): CsvTable['rows'] {
  return table.rows.filter((row) => {
    if (row.cells.length === table.headers.length) return true;
    // Trailing empty cells (a last `;`) are harmless.
    if (row.cells.length > table.headers.length && row.cells.slice(table.headers.length).every((c) => c.trim() === '')) return true;
    problems.add('error', 'row-malformed', { file, where: s.where.row(row.line) }, row.cells.length, table.headers.length);
    return false;
  });
}

/** Fills the fields a pupil row gives, with their problems; null when the pupil cannot be read at all. */
function pupilFrom(
  get: (names: string[]) => string | null,
  has: (names: string[]) => boolean,
  at: { file: string; where: string },
  problems: Problems,
  keyPrefix: string,
  ids: { onde?: string | null; local?: string | null },
): ImportedPupil | null {
  const lastName = get(['lastName']);
  const firstName = get(['firstName']);
  if (lastName === null || firstName === null) {
    problems.add('error', 'name-missing', at, `${lastName ?? '?'} ${firstName ?? '?'}`);
    return null;
  }
  const usage = get(['usageName']);
  const data: SchoolFields = { lastName, usageName: usage !== null && usage !== lastName ? usage : null, firstName };
  const carried: IdentityField[] = ['lastName', 'firstName'];
  if (has(['usageName'])) carried.push('usageName');
  const label = labelOf(data);
  if (has(['firstName2'])) {
    data.firstName2 = get(['firstName2']);
    carried.push('firstName2');
  }
  const birth = parseDate(get(['birthDate']));
  if (birth === undefined) problems.add('warning', 'date-invalid', at, label, get(['birthDate']) ?? '');
  else if (birth !== null) {
    data.birthDate = birth;
    carried.push('birthDate');
  }
  if (has(['sex'])) {
    const sex = parseSex(get(['sex']));
    if (sex === undefined) problems.add('warning', 'sex-invalid', at, label, get(['sex']) ?? '');
    else if (sex !== null) {
      data.sex = sex;
      carried.push('sex');
    }
  }
  if (has(['birthCity'])) {
    data.birthCity = get(['birthCity']);
    carried.push('birthCity');
  }
  if (has(['email'])) {
    data.email = get(['email']);
    carried.push('email');
    if (data.email && !isValidEmail(data.email)) problems.add('warning', 'email-invalid', at, label, data.email);
  }
  const ine = get(['ine'])?.toUpperCase() ?? null;
  data.ine = ine;
  data.mef = get(['mef']);
  data.mefLabel = get(['mefLabel']);
  data.division = get(['division']);
  const left = parseDate(get(['leftDate']));
  if (left === undefined) problems.add('warning', 'date-invalid', at, label, get(['leftDate']) ?? '');
  else data.leftDate = left;
  const today = new Date().toISOString().slice(0, 10);
  const gone = data.leftDate !== null && data.leftDate !== undefined && data.leftDate <= today;
  if (!gone) {
    if (ine === null) problems.add('warning', 'ine-missing', at, label);
    else if (!isValidIne(ine)) problems.add('warning', 'ine-invalid', at, label, ine);
  }
  const matchIne = ine !== null && isValidIne(ine) ? ine : null;
  const id = ids.onde ?? ids.local ?? null;
  return {
    key: matchIne ? `${keyPrefix}:ine:${matchIne}` : id ? `${keyPrefix}:id:${id}` : `${keyPrefix}:nom:${nameKey(lastName)}|${nameKey(firstName)}|${data.birthDate ?? ''}`,
    label,
    sourceIds: { ...(ids.onde ? { onde: ids.onde } : {}), ...(ids.local ? { local: ids.local } : {}) },
    data,
    carried,
    file: at.file,
    where: at.where,
    matchIne,
    left: gone,
  };
}

/** A guardian's key when no file gives an id: the name and what is unique to the person (contact, else children). */
function guardianKey(prefix: string, data: SchoolFields, tail: string): string {
  return `${prefix}:resp:${nameKey(data.lastName)}|${nameKey(data.firstName)}|${tail}`;
}

function checkContacts(data: SchoolFields, label: string, at: { file: string; where: string }, problems: Problems): void {
  if (data.mobile && !isValidFrenchMobile(data.mobile)) problems.add('warning', 'mobile-invalid', at, label, data.mobile);
  if (data.email && !isValidEmail(data.email)) problems.add('warning', 'email-invalid', at, label, data.email);
}

// ---------------------------------------------------------------- ONDE

const ONDE_PUPIL: Record<string, string[]> = {
  lastName: ['Nom élève', 'Nom de famille élève'],
  usageName: ["Nom d'usage élève", 'Nom usage élève'],
  firstName: ['Prénom élève'],
  birthDate: ['Date naissance', 'Date de naissance'],
  sex: ['Sexe'],
  ine: ['INE'],
  mefLabel: ['Niveau'],
  division: ['Libellé classe', 'Identifiant classe'],
  ondeId: ['Identifiant élève', 'Identifiant ONDE'],
};

export function ondePupils(file: string, table: CsvTable, problems: Problems): ImportedPupil[] {
  const cell = columns(table.headers);
  const present = (field: string) => ONDE_PUPIL[field]!.some((h) => hasColumn(table.headers, h));
  const pupils: ImportedPupil[] = [];
  const seen = new Set<string>();
  for (const row of wellFormed(table, file, problems)) {
    const at = { file, where: s.where.row(row.line) };
    const get = (fields: string[]) => cell(row.cells, ...ONDE_PUPIL[fields[0]!] ?? []);
    const has = (fields: string[]) => fields.every((f) => f in ONDE_PUPIL && present(f));
    const pupil = pupilFrom(get, has, at, problems, 'onde', { onde: get(['ondeId']) });
    if (!pupil) continue;
    if (seen.has(pupil.key)) {
      problems.add('error', 'id-duplicate', at, pupil.label, pupil.data.ine ?? pupil.key);
      continue;
    }
    seen.add(pupil.key);
    pupils.push(pupil);
  }
  flagDuplicateInes(pupils, problems);
  return pupils;
}

/** The column groups of the children on an ONDE guardian row (« Nom de famille enfant ; Prénom enfant ; … »). */
function childColumns(headers: readonly string[]): { last: number; first: number; usage: number | null; classes: number | null }[] {
  const groups: { last: number; first: number; usage: number | null; classes: number | null }[] = [];
  headers.forEach((h, i) => {
    if (!/^NOM DE FAMILLE (ENFANT|ELEVE)/.test(key(h))) return;
    const first = headers.findIndex((x, j) => j > i && /^PRENOM (ENFANT|ELEVE)/.test(key(x)));
    if (first < 0) return;
    const before = i > 0 && /^NOM D ?USAGE (ENFANT|ELEVE)/.test(key(headers[i - 1]!)) ? i - 1 : null;
    const after = first + 1 < headers.length && /^CLASSES? (ENFANT|ELEVE)/.test(key(headers[first + 1]!)) ? first + 1 : null;
    groups.push({ last: i, first, usage: before, classes: after });
  });
  return groups;
}

export function ondeGuardians(
  file: string,
  table: CsvTable,
  pupils: readonly ImportedPupil[],
  problems: Problems,
): { guardians: ImportedGuardian[]; links: ImportedLink[] } {
  const cell = columns(table.headers);
  const children = childColumns(table.headers);
  const byName = new Map<string, ImportedPupil[]>();
  for (const p of pupils) {
    for (const last of new Set([p.data.lastName, p.data.usageName].filter((n): n is string => !!n))) {
      const k = `${nameKey(last)}|${nameKey(p.data.firstName)}`;
      byName.set(k, [...(byName.get(k) ?? []), p]);
    }
  }
  const guardians: ImportedGuardian[] = [];
  const links: ImportedLink[] = [];
  const seen = new Set<string>();
  for (const row of wellFormed(table, file, problems)) {
    const at = { file, where: s.where.row(row.line) };
    const get = (...names: string[]) => cell(row.cells, ...names);
    const lastName = get('Nom responsable', 'Nom de famille responsable');
    const firstName = get('Prénom responsable');
    if (lastName === null || firstName === null) {
      problems.add('error', 'name-missing', at, `${lastName ?? '?'} ${firstName ?? '?'}`);
      continue;
    }
    const usage = get('Nom usage responsable', "Nom d'usage responsable");
    const address = get('Adresse responsable');
    const data: SchoolFields = {
      civility: parseCivility(get('Civilité Responsable', 'Civilité')),
      lastName,
      usageName: usage !== null && usage !== lastName ? usage : null,
      firstName,
      email: get('Courriel', 'Adresse courriel'),
      mobile: get('Téléphone portable'),
      phoneHome: get('Téléphone domicile'),
      phoneWork: get('Téléphone travail'),
      address: address
        ? { line1: address, line2: null, postalCode: get('CP responsable', 'Code postal responsable') ?? '', city: get('Commune responsable') ?? '', country: get('Pays') ?? 'FRANCE' }
        : null,
    };
    const label = labelOf(data);
    checkContacts(data, label, at, problems);
    const found: ImportedPupil[] = [];
    for (const group of children) {
      const childLast = clean(row.cells[group.last]);
      const childFirst = clean(row.cells[group.first]);
      if (childLast === null || childFirst === null) continue;
      const childName = `${childLast} ${childFirst}`;
      let candidates = byName.get(`${nameKey(childLast)}|${nameKey(childFirst)}`) ?? [];
      const classes = group.classes === null ? null : clean(row.cells[group.classes]);
      if (candidates.length > 1 && classes) {
        const inClass = candidates.filter((p) => p.data.division && nameKey(classes).includes(nameKey(p.data.division)));
        if (inClass.length > 0) candidates = inClass;
      }
      if (candidates.length === 0) problems.add('warning', 'child-not-found', at, label, childName);
      else if (candidates.length > 1) problems.add('warning', 'child-ambiguous', at, label, childName);
      else found.push(candidates[0]!);
    }
    const guardianId = guardianKey('onde', data, found.map((p) => p.key).sort()[0] ?? nameKey(data.email ?? data.mobile ?? ''));
    if (seen.has(guardianId)) {
      problems.add('warning', 'id-duplicate', at, label, label);
      continue;
    }
    seen.add(guardianId);
    guardians.push({
      key: guardianId,
      label,
      sourceIds: {},
      data,
      carried: usage !== null || hasColumn(table.headers, 'Nom usage responsable') ? ['lastName', 'usageName', 'firstName', 'email', 'mobile'] : ['lastName', 'firstName', 'email', 'mobile'],
      file,
      where: at.where,
    });
    // The extraction lists the legal guardians (« représentants légaux »).
    for (const child of new Set(found)) links.push({ pupilKey: child.key, guardianKey: guardianId, level: 1, relationship: null, financial: false, contact: true });
  }
  return { guardians, links };
}

// ---------------------------------------------------------------- generic CSV

/** The header of each mapped field, checked against the file's columns. */
export function mappedColumns(name: string, headers: readonly string[], mapping: CsvMapping): Map<CsvField, number> {
  const index = new Map(headers.map((h, i) => [h.trim(), i] as const));
  const columnsOf = new Map<CsvField, number>();
  const missing: string[] = [];
  for (const [field, header] of Object.entries(mapping) as [CsvField, string | undefined][]) {
    if (!header) continue;
    const i = index.get(header.trim());
    if (i === undefined) missing.push(`« ${header} »`);
    else columnsOf.set(field, i);
  }
  if (missing.length > 0) throw refuse('mapping-required', s.refusal.mappingMismatch(name, missing.join(', ')), { file: name, headers: [...headers], missing });
  return columnsOf;
}

export function genericCsv(
  file: string,
  table: CsvTable,
  mapping: CsvMapping,
  problems: Problems,
): { pupils: ImportedPupil[]; guardians: ImportedGuardian[]; links: ImportedLink[] } {
  const column = mappedColumns(file, table.headers, mapping);
  const pupils: ImportedPupil[] = [];
  const guardians = new Map<string, ImportedGuardian>();
  const links: ImportedLink[] = [];
  const seenPupils = new Set<string>();
  for (const row of wellFormed(table, file, problems)) {
    const at = { file, where: s.where.row(row.line) };
    const value = (field: CsvField) => {
      const i = column.get(field);
      return i === undefined ? null : clean(row.cells[i]);
    };
    const get = (fields: string[]) => value(`pupil.${fields[0]}` as CsvField);
    const has = (fields: string[]) => fields.every((f) => column.has(`pupil.${f}` as CsvField));
    const pupil = pupilFrom(get, has, at, problems, 'csv', { local: value('pupil.id') });
    if (!pupil) continue;
    if (seenPupils.has(pupil.key)) {
      problems.add('error', 'id-duplicate', at, pupil.label, value('pupil.id') ?? pupil.data.ine ?? pupil.label);
      continue;
    }
    seenPupils.add(pupil.key);
    pupils.push(pupil);
    for (const which of ['guardian1', 'guardian2'] as const) {
      const g = (field: string) => value(`${which}.${field}` as CsvField);
      const lastName = g('lastName');
      const firstName = g('firstName');
      if (lastName === null && firstName === null) continue;
      if (lastName === null || firstName === null) {
        problems.add('error', 'name-missing', at, `${lastName ?? '?'} ${firstName ?? '?'}`);
        continue;
      }
      const usage = g('usageName');
      const address = g('address');
      const data: SchoolFields = {
        civility: parseCivility(g('civility')),
        lastName,
        usageName: usage !== null && usage !== lastName ? usage : null,
        firstName,
        email: g('email'),
        mobile: g('mobile'),
        phoneHome: g('phoneHome'),
        address: address ? { line1: address, line2: null, postalCode: g('postalCode') ?? '', city: g('city') ?? '', country: 'FRANCE' } : null,
      };
      // Siblings share their guardians: the same name with the same contact is one person.
      const contact = data.email?.toLowerCase() ?? normalizeFrenchMobile(data.mobile ?? '')?.e164 ?? '';
      const id = guardianKey('csv', data, contact || pupil.key);
      if (!guardians.has(id)) {
        const label = labelOf(data);
        checkContacts(data, label, at, problems);
        const carried: IdentityField[] = ['lastName', 'firstName'];
        for (const [field, name] of [['usageName', 'usageName'], ['email', 'email'], ['mobile', 'mobile']] as const) {
          if (column.has(`${which}.${name}` as CsvField)) carried.push(field);
        }
        guardians.set(id, { key: id, label, sourceIds: {}, data, carried, file, where: at.where });
      }
      links.push({ pupilKey: pupil.key, guardianKey: id, level: 1, relationship: null, financial: false, contact: true });
    }
  }
  flagDuplicateInes(pupils, problems);
  return { pupils, guardians: [...guardians.values()], links };
}

/** Header names staff commonly use, to propose a mapping the first time (they check and change it). */
const SYNONYMS: Partial<Record<CsvField, string[]>> = {
  'pupil.id': ['ID', 'IDENTIFIANT', 'NUMERO', 'NUMERO ELEVE', 'IDENTIFIANT ELEVE', 'MATRICULE'],
  'pupil.ine': ['INE', 'NUMERO INE', 'IDENTIFIANT NATIONAL'],
  'pupil.lastName': ['NOM', 'NOM ELEVE', 'NOM DE FAMILLE', 'NOM DE L ELEVE'],
  'pupil.usageName': ['NOM D USAGE', 'NOM USAGE'],
  'pupil.firstName': ['PRENOM', 'PRENOM ELEVE', 'PRENOM DE L ELEVE'],
  'pupil.firstName2': ['PRENOM 2', 'DEUXIEME PRENOM', 'AUTRES PRENOMS'],
  'pupil.birthDate': ['DATE DE NAISSANCE', 'DATE NAISSANCE', 'NE LE', 'NE E LE', 'NAISSANCE'],
  'pupil.sex': ['SEXE', 'GENRE'],
  'pupil.birthCity': ['LIEU DE NAISSANCE', 'COMMUNE DE NAISSANCE', 'VILLE DE NAISSANCE'],
  'pupil.mef': ['MEF', 'CODE MEF'],
  'pupil.division': ['CLASSE', 'DIVISION'],
  'pupil.email': ['COURRIEL', 'EMAIL', 'MAIL', 'COURRIEL ELEVE'],
  'pupil.leftDate': ['DATE DE SORTIE', 'DATE SORTIE'],
};

/** A first mapping from the headers: known names for the pupil's fields, « … responsable 1/2 » for the guardians'. */
export function suggestMapping(headers: readonly string[]): Partial<Record<CsvField, string>> {
  const out: Partial<Record<CsvField, string>> = {};
  for (const header of headers) {
    const k = key(header);
    for (const [field, names] of Object.entries(SYNONYMS) as [CsvField, string[]][]) {
      if (!out[field] && names.includes(k)) out[field] = header;
    }
    const guardian = /^(.*?) ?(?:RESPONSABLE|RESP|PARENT|REPRESENTANT LEGAL) ?([12])$/.exec(k);
    if (guardian) {
      const [, what, n] = guardian;
      const field = ({ NOM: 'lastName', PRENOM: 'firstName', COURRIEL: 'email', EMAIL: 'email', MAIL: 'email', PORTABLE: 'mobile', 'TELEPHONE PORTABLE': 'mobile', MOBILE: 'mobile', CIVILITE: 'civility', ADRESSE: 'address', 'CODE POSTAL': 'postalCode', CP: 'postalCode', COMMUNE: 'city', VILLE: 'city', 'NOM D USAGE': 'usageName' } as Record<string, string>)[what ?? ''];
      const target = field ? (`guardian${n}.${field}` as CsvField) : null;
      if (target && !out[target]) out[target] = header;
    }
  }
  return out;
}
