/**
 * SIECLE exports for tests, fixtures and benchmarks, written the way SIECLE writes them: ISO-8859-15 bytes with the
 * characters Latin-9 lacks as numeric character references, dates as jj/mm/aaaa, one element per line. `current`
 * uses today's element names, `legacy` those of older exports (INE_RNIE, NOM, RESPONSABLE, RESP_LEGAL).
 * `fromDemoDirectory` turns an establishment of the demo directory into the export its SIECLE base would give.
 */
import iconv from 'iconv-lite';
import type { DirectoryStore } from '../../electron/demo-directory/store';
import type { GuardianData, LinkData, PostalAddress, PupilData } from '../../shared/directory/wire';
import { KNOWN_MEFS } from '../../shared/domain/mef';

export interface SieclePupil {
  eleveId: string;
  ine: string | null;
  lastName: string;
  usageName: string | null;
  firstName: string;
  firstName2?: string | null;
  firstName3?: string | null;
  birthDate: string;
  sex: 'M' | 'F';
  birthCity?: string | null;
  mef: string;
  division: string;
  entryDate?: string | null;
  leftDate?: string | null;
  email?: string | null;
}

export interface SieclePerson {
  personneId: string;
  civility: 'M.' | 'Mme';
  lastName: string;
  usageName: string | null;
  firstName: string;
  email?: string | null;
  mobile?: string | null;
  phoneHome?: string | null;
  phoneWork?: string | null;
  address?: PostalAddress | null;
}

export interface SiecleLink {
  eleveId: string;
  personneId: string;
  level: 1 | 2 | 3;
  relationship: string;
  financial?: boolean;
  contact?: boolean;
}

export interface SiecleBase {
  pupils: SieclePupil[];
  persons: SieclePerson[];
  links: SiecleLink[];
}

export interface SiecleOptions {
  uai: string;
  /** First calendar year of the school year. */
  year?: number;
  /** jj/mm/aaaa */
  exportDate?: string;
  variant?: 'current' | 'legacy';
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const french = (iso: string): string => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function parameters(o: SiecleOptions): string {
  const date = o.exportDate ?? `15/09/${o.year ?? 2025}`;
  return `  <PARAMETRES>\n    <UAJ>${o.uai}</UAJ>\n    <ANNEE_SCOLAIRE>${o.year ?? 2025}</ANNEE_SCOLAIRE>\n    <DATE_EXPORT>${date}</DATE_EXPORT>\n    <HORODATAGE>${date} 08:30:12</HORODATAGE>\n  </PARAMETRES>\n`;
}

const prolog = '<?xml version="1.0" encoding="ISO-8859-15"?>\n';

/** Indented lines of child elements, the empty ones left out (SIECLE omits elements without a value). */
const lines = (indent: number, elements: [string, string | null | undefined][]): string =>
  elements
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([name, value]) => `${' '.repeat(indent)}<${name}>${escape(value!)}</${name}>\n`)
    .join('');

/** ElevesSansAdresses.xml, one element per line as SIECLE writes it (as text; `latin9` turns it into the file's bytes). */
export function elevesXml(o: SiecleOptions, pupils: readonly SieclePupil[]): string {
  const legacy = o.variant === 'legacy';
  const out: string[] = [prolog, `<BEE_ELEVES VERSION="${legacy ? '2.1' : '3.2'}">\n`, parameters(o), '  <DONNEES>\n    <ELEVES>\n'];
  pupils.forEach((p, i) => {
    const elenoet = String(i + 1);
    const ine: [string, string | null][] = legacy ? [[p.ine && /^\d{9}[A-Z]{2}$/.test(p.ine) ? 'INE_RNIE' : 'INE_BEA', p.ine]] : [['ID_NATIONAL', p.ine]];
    const names: [string, string | null][] = legacy ? [['NOM', p.lastName]] : [['NOM_DE_FAMILLE', p.lastName], ['NOM_USAGE', p.usageName ?? p.lastName]];
    out.push(
      `      <ELEVE ELEVE_ID="${p.eleveId}" ELENOET="${elenoet}">\n`,
      lines(8, [
        ...ine,
        ['ELENOET', elenoet],
        ...names,
        ['PRENOM', p.firstName],
        ['PRENOM2', p.firstName2],
        ['PRENOM3', p.firstName3],
        ['DATE_NAISS', french(p.birthDate)],
        ['DOUBLEMENT', '0'],
        ['CODE_SEXE', p.sex === 'M' ? '1' : '2'],
        ['CODE_PAYS', '100'],
        ['VILLE_NAISS', p.birthCity],
        ['CODE_REGIME', '2'],
        ['DATE_ENTREE', p.entryDate ? french(p.entryDate) : `01/09/${o.year ?? 2025}`],
        ['DATE_SORTIE', p.leftDate ? french(p.leftDate) : null],
        ['CODE_MEF', p.mef],
        ['CODE_STATUT', 'ST'],
        ['MEL', p.email],
      ]),
      // Last year's schooling has a CODE_MEF of its own: it is not the pupil's current MEF.
      '        <SCOLARITE_AN_DERNIER>\n',
      lines(10, [['CODE_MEF', '10010012110'], ['CODE_RNE', '0310999Z'], ['DENOM_COMPL', 'ÉCOLE PRIMAIRE']]),
      '        </SCOLARITE_AN_DERNIER>\n      </ELEVE>\n',
    );
  });
  out.push('    </ELEVES>\n    <OPTIONS>\n');
  for (const p of pupils.slice(0, 3)) out.push(`      <OPTION ELEVE_ID="${p.eleveId}">\n${lines(8, [['NUM_OPTION', '1'], ['CODE_MATIERE', '030201']])}      </OPTION>\n`);
  out.push('    </OPTIONS>\n    <STRUCTURES>\n');
  for (const p of pupils) {
    out.push(
      `      <STRUCTURES_ELEVE ELEVE_ID="${p.eleveId}">\n`,
      `        <STRUCTURE>\n${lines(10, [['CODE_STRUCTURE', p.division], ['TYPE_STRUCTURE', 'D']])}        </STRUCTURE>\n`,
      `        <STRUCTURE>\n${lines(10, [['CODE_STRUCTURE', 'LATIN'], ['TYPE_STRUCTURE', 'G']])}        </STRUCTURE>\n`,
      '      </STRUCTURES_ELEVE>\n',
    );
  }
  out.push('    </STRUCTURES>\n  </DONNEES>\n</BEE_ELEVES>\n');
  return out.join('');
}

/** ResponsablesAvecAdresses.xml, one element per line. */
export function responsablesXml(o: SiecleOptions, persons: readonly SieclePerson[], links: readonly SiecleLink[]): string {
  const legacy = o.variant === 'legacy';
  const out: string[] = [prolog, `<BEE_RESPONSABLES VERSION="${legacy ? '1.2' : '1.8'}">\n`, parameters(o), '  <DONNEES>\n    <PERSONNES>\n'];
  const addresses: [string, PostalAddress][] = [];
  persons.forEach((p, i) => {
    const addressId = p.address ? String(500_000 + i) : null;
    if (p.address && addressId) addresses.push([addressId, p.address]);
    const names: [string, string | null][] = legacy ? [['NOM', p.lastName]] : [['NOM_DE_FAMILLE', p.lastName], ['NOM_USAGE', p.usageName ?? p.lastName]];
    out.push(
      `      <PERSONNE PERSONNE_ID="${p.personneId}">\n`,
      lines(8, [
        ...names,
        ['PRENOM', p.firstName],
        ['LC_CIVILITE', p.civility === 'Mme' ? 'MME' : 'M.'],
        ['TEL_PERSONNEL', p.phoneHome],
        ['TEL_PORTABLE', p.mobile],
        ['TEL_PROFESSIONNEL', p.phoneWork],
        ['MEL', p.email],
        ['ACCEPTE_SMS', p.mobile ? '1' : '0'],
        ['ADRESSE_ID', addressId],
        ['CODE_PROFESSION', '38'],
      ]),
      '      </PERSONNE>\n',
    );
  });
  out.push('    </PERSONNES>\n    <RESPONSABLES>\n');
  for (const l of links) {
    const tag = legacy ? 'RESPONSABLE' : 'RESPONSABLE_ELEVE';
    out.push(
      `      <${tag}>\n`,
      lines(8, [
        ['ELEVE_ID', l.eleveId],
        ['PERSONNE_ID', l.personneId],
        legacy ? ['RESP_LEGAL', l.level === 1 ? '1' : '0'] : ['NIVEAU_RESPONSABILITE', String(l.level)],
        ['CODE_PARENTE', l.relationship],
        ['RESP_FINANCIER', l.financial ? '1' : '0'],
        ['PERS_PAIMENT', '0'],
        ['PERS_CONTACT', l.contact === false ? '0' : '1'],
      ]),
      `      </${tag}>\n`,
    );
  }
  out.push('    </RESPONSABLES>\n    <ADRESSES>\n');
  for (const [id, a] of addresses) {
    out.push(
      `      <ADRESSE ADRESSE_ID="${id}">\n`,
      lines(8, [['LIGNE1_ADRESSE', a.line1], ['LIGNE2_ADRESSE', a.line2], ['CODE_POSTAL', a.postalCode], ['LIBELLE_POSTAL', a.city], ['LL_PAYS', a.country], ['CODE_PAYS', '100']]),
      '      </ADRESSE>\n',
    );
  }
  out.push('    </ADRESSES>\n  </DONNEES>\n</BEE_RESPONSABLES>\n');
  return out.join('');
}

/** Nomenclature.xml (the MEFs only). */
export function nomenclatureXml(o: SiecleOptions, mefs: readonly { code: string; label: string }[] = KNOWN_MEFS): string {
  const out = [prolog, '<BEE_NOMENCLATURES VERSION="1.4">\n', parameters(o), '  <DONNEES>\n    <MEFS>\n'];
  for (const m of mefs) {
    out.push(`      <MEF CODE_MEF="${m.code}"><FORMATION>${escape(m.label)}</FORMATION><LIBELLE_LONG>${escape(m.label)}</LIBELLE_LONG><LIBELLE_EDITION>${escape(m.label)}</LIBELLE_EDITION><MEF_RATTACHEMENT>${m.code}</MEF_RATTACHEMENT></MEF>\n`);
  }
  out.push('    </MEFS>\n  </DONNEES>\n</BEE_NOMENCLATURES>\n');
  return out.join('');
}

/** Structures.xml (the divisions only). */
export function structuresXml(o: SiecleOptions, divisions: readonly { code: string; mef: string }[]): string {
  const out = [prolog, '<BEE_STRUCTURES VERSION="1.1">\n', parameters(o), '  <DONNEES>\n    <DIVISIONS>\n'];
  for (const d of divisions) {
    out.push(`      <DIVISION CODE_STRUCTURE="${escape(d.code)}"><LIBELLE_LONG>${escape(d.code)}</LIBELLE_LONG><MEFS_APPARTENANCE><MEF_APPARTENANCE><CODE_MEF>${d.mef}</CODE_MEF></MEF_APPARTENANCE></MEFS_APPARTENANCE></DIVISION>\n`);
  }
  out.push('    </DIVISIONS>\n  </DONNEES>\n</BEE_STRUCTURES>\n');
  return out.join('');
}

/** Characters ISO-8859-15 holds; any other is written as a numeric character reference, as SIECLE does. */
function isLatin9(char: string): boolean {
  const code = char.codePointAt(0)!;
  if (code < 0x80) return true;
  if ('€ŠšŽžŒœŸ'.includes(char)) return true;
  return code >= 0xa0 && code <= 0xff && !'¤¦¨´¸¼½¾'.includes(char);
}

/** The bytes of an export: ISO-8859-15, characters outside it as `&#N;` (only valid in text and attribute values). */
export function latin9(xml: string): Buffer {
  let out = '';
  for (const char of xml) out += isLatin9(char) ? char : `&#${char.codePointAt(0)};`;
  return iconv.encode(out, 'iso-8859-15');
}

/**
 * An establishment of the demo directory as its SIECLE base would export it (source ids from the directory). Takes
 * the store, or anything that lists its live records the same way (the e2e reads the host's demo file directly).
 */
export function fromDemoDirectory(store: Pick<DirectoryStore, 'liveRows'>, uai: string): SiecleBase {
  const pupilRows = store.liveRows(uai, 'pupil') as { id: string; data: PupilData }[];
  const guardianRows = store.liveRows(uai, 'guardian') as { id: string; data: GuardianData }[];
  const linkRows = store.liveRows(uai, 'link') as { id: string; data: LinkData }[];
  const eleveIds = new Map(pupilRows.map((p) => [p.id, p.data.sourceIds?.siecle ?? p.id]));
  const personneIds = new Map(guardianRows.map((g) => [g.id, g.data.sourceIds?.siecle ?? g.id]));
  return {
    pupils: pupilRows.map(({ id, data: p }) => ({
      eleveId: eleveIds.get(id)!,
      ine: p.ine,
      lastName: p.lastName,
      usageName: p.usageName,
      firstName: p.firstName,
      firstName2: p.firstName2,
      firstName3: p.firstName3,
      birthDate: p.birthDate,
      sex: p.sex,
      birthCity: p.birthCity,
      mef: p.mef,
      division: p.division,
      entryDate: p.entryDate,
      leftDate: p.leftDate,
      email: p.email,
    })),
    persons: guardianRows.map(({ id, data: g }) => ({
      personneId: personneIds.get(id)!,
      civility: g.civility,
      lastName: g.lastName,
      usageName: g.usageName,
      firstName: g.firstName,
      email: g.email,
      mobile: g.mobile,
      phoneHome: g.phoneHome,
      phoneWork: g.phoneWork,
      address: g.address,
    })),
    links: linkRows
      .filter((l) => eleveIds.has(l.data.pupilId) && personneIds.has(l.data.guardianId))
      .map(({ data: l }) => ({
        eleveId: eleveIds.get(l.pupilId)!,
        personneId: personneIds.get(l.guardianId)!,
        level: l.level,
        relationship: l.relationship,
        financial: l.financial,
        contact: l.contact,
      })),
  };
}
