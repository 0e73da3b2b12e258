/**
 * SIECLE exports (DOMAIN.md): ElevesSansAdresses / ElevesAvecAdresses (`BEE_ELEVES`), ResponsablesAvecAdresses
 * (`BEE_RESPONSABLES`), Nomenclature (`BEE_NOMENCLATURES`) and Structures (`BEE_STRUCTURES`), read record by record
 * from the XML stream into one school base. Both generations of element names are read: ID_NATIONAL or INE_RNIE /
 * INE_BEA, NOM_DE_FAMILLE + NOM_USAGE or NOM, RESPONSABLE_ELEVE or RESPONSABLE, NIVEAU_RESPONSABILITE or RESP_LEGAL.
 * Only an element's direct children are read, so the nested CODE_MEF of SCOLARITE_AN_DERNIER is never taken for the
 * pupil's own.
 */
import type { ImportFileKind } from '../../../shared/api/methods/imports';
import type { IdentityField, PostalAddress, ResponsibilityLevel } from '../../../shared/directory/wire';
import { isValidEmail, isValidFrenchMobile, isValidIne, isValidUai } from '../../../shared/domain/identifiers';
import { labelOf, Problems, type ImportedGuardian, type ImportedLink, type ImportedPupil, type SchoolFields } from './model';
import { refuse } from './refuse';
import { importStrings } from './strings';
import { clean, parseCivility, parseDate, parseSex } from './values';
import { childText, groups, hasChild, type RecordSpec, type XmlHandler, type XmlNode } from './xml';

const s = importStrings;

const PARAMETRES = ['UAJ', 'UAI', 'DATE_EXPORT'];
const NAMES = ['NOM_DE_FAMILLE', 'NOM', 'NOM_USAGE', 'PRENOM'];
const LINK = ['ELEVE_ID', 'PERSONNE_ID', 'NIVEAU_RESPONSABILITE', 'RESP_LEGAL', 'CODE_PARENTE', 'RESP_FINANCIER', 'PERS_CONTACT'];

/** Each root, and the elements read from it: the records, with the elements wanted inside each (groups marked). */
const ROOTS: Record<string, { kind: ImportFileKind; records: Record<string, string[]>; groups?: string[] }> = {
  BEE_ELEVES: {
    kind: 'siecle-eleves',
    records: {
      PARAMETRES,
      // Not SCOLARITE_AN_DERNIER: last year's schooling has a CODE_MEF of its own, which is not the pupil's.
      'DONNEES/ELEVES/ELEVE': [
        ...NAMES, 'ELEVE_ID', 'ID_NATIONAL', 'INE_RNIE', 'INE_BEA', 'PRENOM2', 'PRENOM3', 'DATE_NAISS', 'CODE_SEXE', 'VILLE_NAISS', 'MEL',
        'DATE_ENTREE', 'DATE_SORTIE', 'CODE_MEF',
      ],
      'DONNEES/STRUCTURES/STRUCTURES_ELEVE': ['ELEVE_ID', 'STRUCTURE', 'CODE_STRUCTURE', 'TYPE_STRUCTURE'],
    },
    groups: ['STRUCTURE'],
  },
  BEE_RESPONSABLES: {
    kind: 'siecle-responsables',
    records: {
      PARAMETRES,
      'DONNEES/PERSONNES/PERSONNE': [...NAMES, 'PERSONNE_ID', 'LC_CIVILITE', 'TEL_PERSONNEL', 'TEL_PORTABLE', 'TEL_PROFESSIONNEL', 'MEL', 'ACCEPTE_SMS', 'ADRESSE_ID'],
      'DONNEES/RESPONSABLES/RESPONSABLE_ELEVE': LINK,
      'DONNEES/RESPONSABLES/RESPONSABLE': LINK,
      'DONNEES/ADRESSES/ADRESSE': [
        'ADRESSE_ID', 'LIGNE1_ADRESSE', 'LIGNE2_ADRESSE', 'LIGNE3_ADRESSE', 'LIGNE4_ADRESSE', 'CODE_POSTAL', 'LIBELLE_POSTAL', 'LL_COMMUNE_ETRANGERE', 'LL_PAYS',
      ],
    },
  },
  BEE_NOMENCLATURES: { kind: 'siecle-nomenclature', records: { PARAMETRES, 'DONNEES/MEFS/MEF': ['CODE_MEF', 'FORMATION', 'LIBELLE_LONG', 'LIBELLE_EDITION'] } },
  BEE_STRUCTURES: {
    kind: 'siecle-structures',
    records: { PARAMETRES, 'DONNEES/DIVISIONS/DIVISION': ['CODE_STRUCTURE', 'LIBELLE_LONG', 'MEFS_APPARTENANCE', 'MEF_APPARTENANCE', 'CODE_MEF'] },
    groups: ['MEFS_APPARTENANCE', 'MEF_APPARTENANCE'],
  },
};

const RECORDS = new Map(
  Object.entries(ROOTS).map(([root, { records, groups: containers = [] }]) => [
    root,
    new Map<string, RecordSpec>(
      Object.entries(records).map(([path, names]) => [
        path,
        { leaves: new Set(names.filter((n) => !containers.includes(n))), groups: new Set(names.filter((n) => containers.includes(n))) },
      ]),
    ),
  ]),
);

/** The French name of each kind of SIECLE file, for "two exports of the same kind". */
export const SIECLE_KIND_LABELS: Partial<Record<ImportFileKind, string>> = {
  'siecle-eleves': 'des élèves',
  'siecle-responsables': 'des responsables',
  'siecle-nomenclature': 'des nomenclatures',
  'siecle-structures': 'des structures',
};

interface RawLink extends Omit<ImportedLink, 'pupilKey' | 'guardianKey'> {
  eleveId: string;
  personneId: string;
  file: string;
  line: number;
}

interface Structure {
  division: string | null;
  groups: string[];
}

const ADDRESS_LINES = ['LIGNE1_ADRESSE', 'LIGNE2_ADRESSE', 'LIGNE3_ADRESSE', 'LIGNE4_ADRESSE'];

/** The identity fields a guardian's element carries, by generation of the export (shared: read, never changed). */
const GUARDIAN_CARRIED_MODERN: readonly IdentityField[] = ['lastName', 'usageName', 'firstName', 'email', 'mobile'];
const GUARDIAN_CARRIED_LEGACY: readonly IdentityField[] = ['lastName', 'firstName', 'email', 'mobile'];

/** The identity fields a pupil's element carries: the names, and what it holds of the rest (flags below). */
const CARRIES_USAGE = 1;
const CARRIES_BIRTH_DATE = 2;
const CARRIES_SEX = 4;
const CARRIES_BIRTH_CITY = 8;
const CARRIES_EMAIL = 16;
const PUPIL_CARRIED: (readonly IdentityField[])[] = [];

/** One shared list per combination (read, never changed): not a new list per pupil. */
function pupilCarried(carries: number): readonly IdentityField[] {
  return (PUPIL_CARRIED[carries] ??= [
    'lastName',
    ...(carries & CARRIES_USAGE ? (['usageName'] as const) : []),
    'firstName',
    'firstName2',
    ...(carries & CARRIES_BIRTH_DATE ? (['birthDate'] as const) : []),
    ...(carries & CARRIES_SEX ? (['sex'] as const) : []),
    ...(carries & CARRIES_BIRTH_CITY ? (['birthCity'] as const) : []),
    ...(carries & CARRIES_EMAIL ? (['email'] as const) : []),
  ]);
}

/** A class SIECLE keeps its departed pupils in. */
const INACTIVE_CLASS = /^inactifs?$/i;

/** Reads every SIECLE file of one import, then builds the school base from what they hold together. */
export class SiecleCollector {
  // Each element is read into a small object as soon as it closes: the parsed trees are never kept (keeping them made
  // garbage collection a third of the reading time on a 5,000-pupil export).
  /** By ELEVE_ID: each waits for what later parts of the files say (class, MEF labels); its own CODE_MEF is in data.mef. */
  private readonly pupils = new Map<string, ImportedPupil>();
  private readonly structures = new Map<string, Structure>();
  /** By PERSONNE_ID; the address of each is read later (ADRESSES come after PERSONNES): its ADRESSE_ID is in addressIds. */
  private readonly persons = new Map<string, ImportedGuardian>();
  private readonly addressIds = new Map<string, string>();
  private readonly links: RawLink[] = [];
  private readonly addresses = new Map<string, PostalAddress>();
  private readonly mefLabels = new Map<string, string>();
  private readonly divisionMefs = new Map<string, string[]>();
  private exportDate: string | null = null;
  readonly problems = new Problems();
  /** The kind of each file read, in order. */
  readonly kinds: { name: string; kind: ImportFileKind }[] = [];

  constructor(private readonly uai: string) {}

  /** The handler of one file (or archive entry): checks its root and its establishment, collects its records. */
  handler(file: string): XmlHandler & { finish(): void } {
    let parameters = false;
    return {
      onRoot: (root) => {
        const known = ROOTS[root];
        if (!known) throw refuse('unknown-xml', s.refusal.unknownXml(file, root), { file, root });
        this.kinds.push({ name: file, kind: known.kind });
        return RECORDS.get(root)!;
      },
      onRecord: (path, node) => {
        if (path === 'PARAMETRES') {
          parameters = true;
          this.checkEstablishment(file, node);
          return;
        }
        this.record(file, path, node);
      },
      finish: () => {
        if (!parameters) throw refuse('uai-invalid', s.refusal.uaiMissing(file), { file });
      },
    };
  }

  private checkEstablishment(file: string, node: XmlNode): void {
    const found = (childText(node, 'UAJ') ?? childText(node, 'UAI') ?? '').toUpperCase();
    if (found === '') throw refuse('uai-invalid', s.refusal.uaiMissing(file), { file });
    if (!isValidUai(found)) throw refuse('uai-invalid', s.refusal.uaiInvalid(file, found), { file, found });
    if (found !== this.uai) throw refuse('other-establishment', s.refusal.otherEstablishment(file, found, this.uai), { file, found, expected: this.uai });
    this.exportDate ??= parseDate(childText(node, 'DATE_EXPORT')) ?? null;
  }

  private record(file: string, path: string, node: XmlNode): void {
    // Where the element is, for a problem, is built only when there is one (tens of thousands of elements): no closure
    // per element either.
    switch (path) {
      case 'DONNEES/ELEVES/ELEVE': {
        const eleveId = clean(node.attributes.ELEVE_ID) ?? childText(node, 'ELEVE_ID');
        if (eleveId === null) return this.problems.add('error', 'id-missing', atLine(file, node.line), nameOf(node));
        if (this.pupils.has(eleveId)) {
          return this.problems.add('error', 'id-duplicate', { file, where: s.where.pupil(node.line, eleveId) }, nameOf(node), eleveId);
        }
        const pupil = this.pupil(eleveId, node, file);
        if (pupil) this.pupils.set(eleveId, pupil);
        return;
      }
      case 'DONNEES/STRUCTURES/STRUCTURES_ELEVE': {
        const eleveId = clean(node.attributes.ELEVE_ID) ?? childText(node, 'ELEVE_ID');
        if (eleveId === null) return;
        const structure: Structure = this.structures.get(eleveId) ?? { division: null, groups: [] };
        for (const item of groups(node, 'STRUCTURE')) {
          const code = childText(item, 'CODE_STRUCTURE');
          if (code === null) continue;
          if ((childText(item, 'TYPE_STRUCTURE') ?? 'D').toUpperCase() === 'G') structure.groups.push(code);
          else structure.division ??= code;
        }
        this.structures.set(eleveId, structure);
        return;
      }
      case 'DONNEES/PERSONNES/PERSONNE': {
        const personneId = clean(node.attributes.PERSONNE_ID) ?? childText(node, 'PERSONNE_ID');
        if (personneId === null) return this.problems.add('error', 'id-missing', atLine(file, node.line), nameOf(node));
        if (this.persons.has(personneId)) {
          return this.problems.add('error', 'id-duplicate', { file, where: s.where.person(node.line, personneId) }, nameOf(node), personneId);
        }
        const guardian = this.guardian(personneId, node, file);
        if (!guardian) return;
        this.persons.set(personneId, guardian);
        const addressId = childText(node, 'ADRESSE_ID');
        if (addressId !== null) this.addressIds.set(personneId, addressId);
        return;
      }
      case 'DONNEES/RESPONSABLES/RESPONSABLE_ELEVE':
      case 'DONNEES/RESPONSABLES/RESPONSABLE': {
        const link = this.link(node, file);
        if (link) this.links.push(link);
        return;
      }
      case 'DONNEES/ADRESSES/ADRESSE': {
        const id = clean(node.attributes.ADRESSE_ID) ?? childText(node, 'ADRESSE_ID');
        if (id === null) return;
        const lines: string[] = [];
        for (const element of ADDRESS_LINES) {
          const line = childText(node, element);
          if (line !== null) lines.push(line);
        }
        this.addresses.set(id, {
          line1: lines[0] ?? '',
          line2: lines.length > 1 ? lines.slice(1).join(', ') : null,
          postalCode: childText(node, 'CODE_POSTAL') ?? '',
          city: childText(node, 'LIBELLE_POSTAL') ?? childText(node, 'LL_COMMUNE_ETRANGERE') ?? '',
          country: childText(node, 'LL_PAYS') ?? 'FRANCE',
        });
        return;
      }
      case 'DONNEES/MEFS/MEF': {
        const code = clean(node.attributes.CODE_MEF) ?? childText(node, 'CODE_MEF');
        const label = childText(node, 'LIBELLE_EDITION') ?? childText(node, 'LIBELLE_LONG') ?? childText(node, 'FORMATION');
        if (code !== null && label !== null) this.mefLabels.set(code, label);
        return;
      }
      case 'DONNEES/DIVISIONS/DIVISION': {
        const code = clean(node.attributes.CODE_STRUCTURE) ?? childText(node, 'CODE_STRUCTURE');
        if (code === null) return;
        const mefs = groups(node, 'MEFS_APPARTENANCE')
          .flatMap((c) => groups(c, 'MEF_APPARTENANCE'))
          .map((m) => childText(m, 'CODE_MEF'))
          .filter((m): m is string => m !== null);
        this.divisionMefs.set(code, mefs);
        return;
      }
    }
  }

  get hasPupilsFile(): boolean {
    return this.kinds.some((k) => k.kind === 'siecle-eleves');
  }

  get hasResponsablesFile(): boolean {
    return this.kinds.some((k) => k.kind === 'siecle-responsables');
  }

  /** The pupils, guardians and links the files hold together, with the problems found in them. */
  build(): { pupils: ImportedPupil[]; guardians: ImportedGuardian[]; links: ImportedLink[] } {
    const pupils = [...this.pupils.values()].map((pupil) => this.finishPupil(pupil));
    flagDuplicateInes(pupils, this.problems);
    const guardians = [...this.persons.entries()].map(([personneId, guardian]) => {
      const addressId = this.addressIds.get(personneId);
      if (addressId !== undefined) {
        guardian.data.address = this.addresses.get(addressId) ?? null;
        if (guardian.data.address === null && this.addresses.size > 0) this.problems.add('warning', 'unknown-address', guardian, guardian.label, addressId);
      }
      return guardian;
    });
    const links: ImportedLink[] = [];
    const seen = new Set<string>();
    for (const raw of this.links) {
      // Without the pupils' file, a link may name a pupil the school records already know: matching resolves it.
      const pupil = this.pupils.get(raw.eleveId);
      if (this.hasPupilsFile && pupil === undefined) {
        this.problems.add('warning', 'unknown-pupil', atLink(raw.file, raw.line), raw.eleveId);
        continue;
      }
      const person = this.persons.get(raw.personneId);
      if (person === undefined) {
        this.problems.add('warning', 'unknown-person', atLink(raw.file, raw.line), raw.personneId);
        continue;
      }
      // A pair listed twice is one link.
      const pair = `${raw.eleveId} ${raw.personneId}`;
      if (seen.has(pair)) continue;
      seen.add(pair);
      // The persons' own keys, not new strings: fewer to keep, and already hashed by the maps that use them.
      const { level, relationship, financial, contact } = raw;
      links.push({ pupilKey: pupil?.key ?? `siecle:${raw.eleveId}`, guardianKey: person.key, level, relationship, financial, contact });
    }
    return { pupils, guardians, links };
  }

  private pupil(eleveId: string, node: XmlNode, file: string): ImportedPupil | null {
    const where = s.where.pupil(node.line, eleveId);
    const at = { file, where };
    const modern = hasChild(node, 'NOM_DE_FAMILLE');
    const lastName = childText(node, 'NOM_DE_FAMILLE') ?? childText(node, 'NOM');
    const firstName = childText(node, 'PRENOM');
    if (lastName === null || firstName === null) {
      this.problems.add('error', 'name-missing', at, nameOf(node));
      return null;
    }
    const usage = modern ? childText(node, 'NOM_USAGE') : null;
    const data: SchoolFields = {
      lastName,
      usageName: usage !== null && usage !== lastName ? usage : null,
      firstName,
      firstName2: childText(node, 'PRENOM2'),
      firstName3: childText(node, 'PRENOM3'),
    };
    const label = labelOf(data);
    let carries = modern ? CARRIES_USAGE : 0;

    const birth = parseDate(childText(node, 'DATE_NAISS'));
    if (birth === undefined) this.problems.add('warning', 'date-invalid', at, label, childText(node, 'DATE_NAISS') ?? '');
    else {
      data.birthDate = birth;
      carries |= CARRIES_BIRTH_DATE;
    }
    const sex = parseSex(childText(node, 'CODE_SEXE'));
    if (sex === undefined) this.problems.add('warning', 'sex-invalid', at, label, childText(node, 'CODE_SEXE') ?? '');
    else if (sex !== null) {
      data.sex = sex;
      carries |= CARRIES_SEX;
    }
    if (hasChild(node, 'VILLE_NAISS')) {
      data.birthCity = childText(node, 'VILLE_NAISS');
      carries |= CARRIES_BIRTH_CITY;
    }
    if (hasChild(node, 'MEL')) {
      data.email = childText(node, 'MEL');
      carries |= CARRIES_EMAIL;
      if (data.email !== null && !isValidEmail(data.email)) this.problems.add('warning', 'email-invalid', at, label, data.email);
    }
    const entry = parseDate(childText(node, 'DATE_ENTREE'));
    if (entry === undefined) this.problems.add('warning', 'date-invalid', at, label, childText(node, 'DATE_ENTREE') ?? '');
    else data.entryDate = entry;
    const left = parseDate(childText(node, 'DATE_SORTIE'));
    if (left === undefined) this.problems.add('warning', 'date-invalid', at, label, childText(node, 'DATE_SORTIE') ?? '');
    else data.leftDate = left;
    const ine = (childText(node, 'ID_NATIONAL') ?? childText(node, 'INE_RNIE') ?? childText(node, 'INE_BEA'))?.toUpperCase() ?? null;
    data.ine = ine;
    // The pupil's own CODE_MEF, if any: finishPupil falls back on its class's.
    data.mef = childText(node, 'CODE_MEF');
    return { key: `siecle:${eleveId}`, label, sourceIds: { siecle: eleveId }, data, carried: pupilCarried(carries), file, where, matchIne: null, left: false };
  }

  /** What the rest of the files say about a pupil: class and groups, MEF and its label, whether it left. */
  private finishPupil(pupil: ImportedPupil): ImportedPupil {
    const { data, label } = pupil;
    const eleveId = pupil.sourceIds.siecle!;
    const ine = data.ine ?? null;
    const ownMef = data.mef ?? null;
    const structure = this.structures.get(eleveId);
    data.division = structure?.division ?? null;
    data.groups = structure?.groups ?? [];
    const mef = ownMef ?? (data.division ? (this.divisionMefs.get(data.division)?.[0] ?? null) : null);
    data.mef = mef;
    data.mefLabel = mef ? (this.mefLabels.get(mef) ?? null) : null;
    if (mef && data.mefLabel === null && this.mefLabels.size > 0) this.problems.add('warning', 'mef-unknown', pupil, label, mef);
    pupil.left =
      (data.leftDate !== null && data.leftDate !== undefined && (this.exportDate === null || data.leftDate <= this.exportDate)) ||
      (data.division !== null && INACTIVE_CLASS.test(data.division));
    const valid = ine !== null && isValidIne(ine);
    if (!pupil.left) {
      if (ine === null) this.problems.add('warning', 'ine-missing', pupil, label);
      else if (!valid) this.problems.add('warning', 'ine-invalid', pupil, label, ine);
    }
    pupil.matchIne = valid ? ine : null;
    return pupil;
  }

  private guardian(personneId: string, node: XmlNode, file: string): ImportedGuardian | null {
    const where = s.where.person(node.line, personneId);
    const at = { file, where };
    const modern = hasChild(node, 'NOM_DE_FAMILLE');
    const lastName = childText(node, 'NOM_DE_FAMILLE') ?? childText(node, 'NOM');
    const firstName = childText(node, 'PRENOM');
    if (lastName === null || firstName === null) {
      this.problems.add('error', 'name-missing', at, nameOf(node));
      return null;
    }
    const usage = modern ? childText(node, 'NOM_USAGE') : null;
    const sms = childText(node, 'ACCEPTE_SMS');
    const data: SchoolFields = {
      civility: parseCivility(childText(node, 'LC_CIVILITE')),
      lastName,
      usageName: usage !== null && usage !== lastName ? usage : null,
      firstName,
      email: childText(node, 'MEL'),
      mobile: childText(node, 'TEL_PORTABLE'),
      phoneHome: childText(node, 'TEL_PERSONNEL'),
      phoneWork: childText(node, 'TEL_PROFESSIONNEL'),
      smsAllowed: sms === null ? null : sms === '1',
      address: null,
    };
    const label = labelOf(data);
    if (data.mobile && !isValidFrenchMobile(data.mobile)) this.problems.add('warning', 'mobile-invalid', at, label, data.mobile);
    if (data.email && !isValidEmail(data.email)) this.problems.add('warning', 'email-invalid', at, label, data.email);
    return {
      key: `siecle:${personneId}`,
      label,
      sourceIds: { siecle: personneId },
      data,
      carried: modern ? GUARDIAN_CARRIED_MODERN : GUARDIAN_CARRIED_LEGACY,
      file,
      where,
    };
  }

  private link(node: XmlNode, file: string): RawLink | null {
    const eleveId = childText(node, 'ELEVE_ID');
    const personneId = childText(node, 'PERSONNE_ID');
    if (eleveId === null) {
      this.problems.add('warning', 'unknown-pupil', atLink(file, node.line), '');
      return null;
    }
    if (personneId === null) {
      this.problems.add('warning', 'unknown-person', atLink(file, node.line), '');
      return null;
    }
    const levelText = childText(node, 'NIVEAU_RESPONSABILITE');
    let level: ResponsibilityLevel | null;
    if (levelText !== null) level = levelText === '1' ? 1 : levelText === '2' ? 2 : levelText === '3' ? 3 : null;
    else {
      // Before NIVEAU_RESPONSABILITE: RESP_LEGAL 1 or 2 was a legal guardian, 0 a contact.
      const legal = childText(node, 'RESP_LEGAL');
      level = legal === '1' || legal === '2' ? 1 : legal === '0' ? 3 : null;
    }
    if (level === null) {
      this.problems.add('error', 'level-invalid', atLink(file, node.line), levelText ?? childText(node, 'RESP_LEGAL') ?? '');
      return null;
    }
    return {
      eleveId,
      personneId,
      file,
      line: node.line,
      level,
      relationship: childText(node, 'CODE_PARENTE'),
      financial: childText(node, 'RESP_FINANCIER') === '1',
      contact: childText(node, 'PERS_CONTACT') !== '0',
    };
  }
}

/** An INE held by several pupils identifies none of them: no matching by it, and a problem for each. */
export function flagDuplicateInes(pupils: ImportedPupil[], problems: Problems): void {
  const first = new Map<string, ImportedPupil>();
  const shared = new Set<string>();
  for (const p of pupils) {
    if (p.matchIne === null) continue;
    if (first.has(p.matchIne)) shared.add(p.matchIne);
    else first.set(p.matchIne, p);
  }
  if (shared.size === 0) return;
  for (const p of pupils) {
    if (p.matchIne === null || !shared.has(p.matchIne)) continue;
    problems.add('warning', 'ine-duplicate', p, p.label, p.matchIne);
  }
  for (const p of pupils) if (p.matchIne !== null && shared.has(p.matchIne)) p.matchIne = null;
}

/** Where an element is, for a problem about it. */
function atLine(file: string, line: number): { file: string; where: string } {
  return { file, where: s.where.line(line) };
}

/** Where a guardian–pupil link is, for a problem about it. */
function atLink(file: string, line: number): { file: string; where: string } {
  return { file, where: s.where.link(line) };
}

/** "NOM Prénom" straight from an element, for problems about records too broken to be read. */
function nameOf(node: XmlNode): string {
  const last = childText(node, 'NOM_DE_FAMILLE') ?? childText(node, 'NOM') ?? '?';
  const first = childText(node, 'PRENOM') ?? '?';
  return `${last.toLocaleUpperCase('fr')} ${first}`;
}
