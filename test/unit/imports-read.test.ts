/**
 * Reading school exports from the fixture files (test/fixtures/imports/, encoded as the real files are): SIECLE in
 * both generations of element names, as XML files and as the .zip SIECLE gives, ONDE's two extractions, a mapped
 * generic CSV; names with Œ, É, ï, apostrophes and characters outside Latin-9 come back intact; every bad file is
 * refused as a whole with its stable reason and a French sentence.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckedDecoder } from '../../electron/core/imports/encoding';
import { refusalReason } from '../../electron/core/imports/refuse';
import { readSchoolBase } from '../../electron/core/imports/read';
import type { SchoolBase } from '../../electron/core/imports/model';
import type { CsvMapping } from '../../shared/api/methods/imports';
import { FIXTURE_UAI, FIXTURES_DIR, GENERIC_MAPPING, fixtureFiles } from '../helpers/import-fixtures';
import { elevesXml, latin9, responsablesXml, type SieclePerson, type SieclePupil } from '../helpers/siecle';
import { tempDir } from '../helpers/temp';
import { zipArchive } from '../helpers/zip';

const fixture = (path: string) => join(FIXTURES_DIR, path);
const SIECLE = ['ElevesSansAdresses.xml', 'ResponsablesAvecAdresses.xml', 'Nomenclature.xml', 'Structures.xml'].map((f) => fixture(`siecle/${f}`));
const read = (paths: string[], mapping: CsvMapping | null = null) => readSchoolBase(paths, { uai: FIXTURE_UAI, mapping });

const scratch = tempDir('ecd-import-read-');
afterAll(() => scratch.remove());

async function refusal(paths: string[], mapping: CsvMapping | null = null): Promise<{ reason: string | null; message: string }> {
  try {
    await read(paths, mapping);
  } catch (error) {
    return { reason: refusalReason(error), message: (error as Error).message };
  }
  throw new Error('expected a refusal');
}

const pupil = (base: SchoolBase, key: string) => base.pupils.find((p) => p.key === key)!;
const guardian = (base: SchoolBase, key: string) => base.guardians.find((g) => g.key === key)!;
const codes = (base: SchoolBase) => base.problems.map((p) => p.code).sort();

describe('SIECLE exports', () => {
  it('reads pupils, guardians, links, classes and MEF labels, with every problem located', async () => {
    const base = await read(SIECLE);
    expect(base.source).toBe('siecle');
    expect(base.files.map((f) => f.kind)).toEqual(['siecle-eleves', 'siecle-responsables', 'siecle-nomenclature', 'siecle-structures']);
    expect(base.pupils.map((p) => p.key)).toEqual(['1001', '1002', '1003', '1004', '1005', '1006', '1007', '1008'].map((id) => `siecle:${id}`));
    expect(base.pupils.filter((p) => p.left).map((p) => p.sourceIds.siecle)).toEqual(['1004', '1008']);
    expect(base.guardians).toHaveLength(8);
    expect(base.links).toHaveLength(9);
    expect(base.complete).toEqual({ pupils: true, guardians: true });

    const anais = pupil(base, 'siecle:1001');
    // The pupil's own MEF, not last year's (nested in SCOLARITE_AN_DERNIER).
    expect(anais.data).toMatchObject({ lastName: 'ŒUVRARD', usageName: null, firstName: 'Anaïs', firstName2: 'Élodie', birthDate: '2013-03-14', sex: 'F', birthCity: 'Toulouse', ine: '123456789AB', mef: '10010012110', mefLabel: '6ème', division: '6A', groups: ['LATIN'], entryDate: '2025-09-01' });
    expect(anais.matchIne).toBe('123456789AB');
    expect(anais.carried).toEqual(expect.arrayContaining(['lastName', 'usageName', 'firstName', 'firstName2', 'birthDate', 'sex', 'birthCity']));
    expect(anais.carried).not.toContain('email');

    const mother = guardian(base, 'siecle:2001');
    expect(mother.data).toMatchObject({ civility: 'Mme', lastName: 'MÉNARD', usageName: 'ŒUVRARD', firstName: 'Hélène', mobile: '06 12 34 56 78', email: 'helene.oeuvrard@orange.fr', smsAllowed: true });
    expect(mother.data.address).toEqual({ line1: '12 rue des Lilas', line2: 'Résidence Les Tilleuls, bât. B', postalCode: '31000', city: 'TOULOUSE', country: 'FRANCE' });
    expect(base.links).toContainEqual({ pupilKey: 'siecle:1001', guardianKey: 'siecle:2008', level: 3, relationship: '38', financial: false, contact: true });
    expect(base.links).toContainEqual({ pupilKey: 'siecle:1001', guardianKey: 'siecle:2001', level: 1, relationship: '10', financial: true, contact: true });

    expect(codes(base)).toEqual(
      ['date-invalid', 'email-invalid', 'id-duplicate', 'ine-invalid', 'ine-missing', 'mobile-invalid', 'mobile-shared', 'no-legal-guardian', 'unknown-pupil'].sort(),
    );
    const duplicate = base.problems.find((p) => p.code === 'id-duplicate')!;
    expect(duplicate).toMatchObject({ file: 'ElevesSansAdresses.xml', severity: 'error' });
    expect(duplicate.where).toMatch(/^ligne \d+, élève 1008$/);
    expect(duplicate.message).toMatch(/en double/);
    const shared = base.problems.find((p) => p.code === 'mobile-shared')!;
    expect(shared.message).toContain('NGUYỄN');
    expect(shared.message).toContain('LEFÈVRE');
    for (const p of base.problems) expect(p.message.length).toBeGreaterThan(10);
  });

  it('keeps Œ, É, ï, apostrophes and characters outside Latin-9 (numeric references) intact', async () => {
    const base = await read(SIECLE);
    expect(pupil(base, 'siecle:1003').data).toMatchObject({ lastName: 'NGUYỄN', firstName: 'Minh-Châu' });
    expect(pupil(base, 'siecle:1004').data).toMatchObject({ lastName: 'DVOŘÁK', usageName: 'N’DIAYE', firstName: 'Łukasz', firstName2: 'Zoë' });
    expect(pupil(base, 'siecle:1002').data).toMatchObject({ lastName: "D'ALMEIDA", firstName: 'Héloïse', email: 'heloise.dalmeida@laposte.net' });
    expect(guardian(base, 'siecle:2005').data).toMatchObject({ lastName: 'DVOŘÁK', firstName: 'Jiří' });
    expect(guardian(base, 'siecle:2004').data).toMatchObject({ lastName: 'NGUYỄN', firstName: 'Thị Lan' });
    expect(pupil(base, 'siecle:1004').label).toBe('N’DIAYE Łukasz');
  });

  it('reads the .zip SIECLE gives exactly as its files, and says which entries it skipped', async () => {
    const files = await read(SIECLE);
    const zipped = await read([fixture('siecle/ExportSiecle.zip')]);
    expect(zipped.pupils).toEqual(files.pupils.map((p) => ({ ...p, file: `ExportSiecle.zip › ${p.file}` })));
    expect(zipped.guardians.map((g) => g.data)).toEqual(files.guardians.map((g) => g.data));
    expect(zipped.links).toEqual(files.links);
    expect(zipped.files.map((f) => f.name)).toEqual(SIECLE.map((f) => `ExportSiecle.zip › ${f.split('/').pop()}`));
    expect(zipped.problems.filter((p) => p.code === 'entry-ignored').map((p) => p.where)).toEqual(['fichier ExportSiecle.zip › LISEZMOI.txt de l’archive']);
  });

  it('reads the older element names: INE_RNIE / INE_BEA, NOM, RESPONSABLE with RESP_LEGAL', async () => {
    const base = await read(['ElevesSansAdresses.xml', 'ResponsablesAvecAdresses.xml'].map((f) => fixture(`siecle-legacy/${f}`)));
    expect(base.pupils.map((p) => [p.data.ine, p.data.lastName, p.data.firstName])).toEqual([
      ['123456789AB', 'ŒUVRARD', 'Anaïs'],
      ['0123456789K', "D'ALMEIDA", 'Héloïse'],
    ]);
    // The single NOM carries no separate usage name.
    expect(base.pupils[0]!.carried).not.toContain('usageName');
    expect(base.links.map((l) => [l.pupilKey, l.guardianKey, l.level])).toEqual([
      ['siecle:1001', 'siecle:2001', 1],
      ['siecle:1001', 'siecle:2008', 3],
      ['siecle:1002', 'siecle:2003', 1],
    ]);
  });

  it('reads the guardians alone (their pupils are found by matching later)', async () => {
    const base = await read([fixture('siecle/ResponsablesAvecAdresses.xml')]);
    expect(base.pupils).toEqual([]);
    expect(base.complete).toEqual({ pupils: false, guardians: true });
    // Without the pupils' file, links name pupils by ELEVE_ID, 9999 included.
    expect(base.links).toHaveLength(10);
  });
});

describe('SIECLE links', () => {
  it('keeps one link per pupil and person, whatever the repeats (a person with one pupil, with three)', async () => {
    const o = { uai: FIXTURE_UAI };
    const pupils: SieclePupil[] = ['1', '2', '3'].map((n) => ({ eleveId: `10${n}`, ine: null, lastName: 'Durand', usageName: null, firstName: `Élève${n}`, birthDate: '2012-01-0' + n, sex: 'F', mef: '10010012110', division: '6A' }));
    const persons: SieclePerson[] = [
      { personneId: '201', civility: 'Mme', lastName: 'Durand', usageName: null, firstName: 'Anne' },
      { personneId: '202', civility: 'M.', lastName: 'Durand', usageName: null, firstName: 'Marc' },
    ];
    const link = (eleveId: string, personneId: string) => ({ eleveId, personneId, level: 1 as const, relationship: '10' });
    const links = [link('101', '201'), link('101', '201'), link('101', '202'), link('102', '202'), link('103', '202'), link('102', '202'), link('103', '202'), link('101', '202')];
    const dir = scratch.path;
    writeFileSync(join(dir, 'links-eleves.xml'), latin9(elevesXml(o, pupils)));
    writeFileSync(join(dir, 'links-responsables.xml'), latin9(responsablesXml(o, persons, links)));
    const base = await read([join(dir, 'links-eleves.xml'), join(dir, 'links-responsables.xml')]);
    expect(base.links.map((l) => `${l.pupilKey} ${l.guardianKey}`)).toEqual([
      'siecle:101 siecle:201',
      'siecle:101 siecle:202',
      'siecle:102 siecle:202',
      'siecle:103 siecle:202',
    ]);
  });
});

describe('ONDE extractions', () => {
  it('reads the pupils and ties each guardian to children by name, skipping the footer line', async () => {
    const base = await read([fixture('onde/CSVExtraction-eleves.csv'), fixture('onde/CSVExtraction-responsables.csv')]);
    expect(base.source).toBe('onde');
    expect(base.files.map((f) => f.kind)).toEqual(['onde-eleves', 'onde-responsables']);
    expect(base.pupils.map((p) => `${p.data.lastName} ${p.data.firstName} ${p.data.birthDate} ${p.data.sex} ${p.data.division}`)).toEqual([
      'ŒUVRARD Anaïs 2018-03-14 F CP Mme Rivière',
      "D'ALMEIDA Héloïse 2017-11-02 F CE1 M. Noël",
      'LEFÈVRE Chloé 2016-09-09 F CE2-CM1 Mme Béranger',
      'LEFÈVRE Maël 2015-04-21 M CE2-CM1 Mme Béranger',
    ]);
    expect(base.pupils[0]!.data.mefLabel).toBe('CP');
    expect(base.guardians.map((g) => g.label)).toEqual(['ŒUVRARD Hélène', "D'ALMEIDA José", 'LEFÈVRE Sandrine', 'ROUX Ambre']);
    const byGuardian = (label: string) => {
      const key = base.guardians.find((g) => g.label === label)!.key;
      return base.links.filter((l) => l.guardianKey === key).map((l) => base.pupils.find((p) => p.key === l.pupilKey)!.data.firstName);
    };
    expect(byGuardian('LEFÈVRE Sandrine')).toEqual(['Chloé', 'Maël']);
    expect(byGuardian('ŒUVRARD Hélène')).toEqual(['Anaïs']);
    expect(base.links.every((l) => l.level === 1)).toBe(true);
    expect(codes(base)).toEqual(['child-not-found', 'mobile-invalid']);
  });
});

describe('a generic CSV with its column mapping', () => {
  it('reads pupils with up to two guardians per row, siblings sharing theirs', async () => {
    const base = await read([fixture('csv/eleves-logiciel-prive.csv')], GENERIC_MAPPING);
    expect(base.source).toBe('csv');
    expect(base.pupils.map((p) => [p.key, p.data.lastName, p.data.firstName, p.data.division])).toEqual([
      ['csv:ine:123456789AB', 'ŒUVRARD', 'Anaïs', '6A'],
      ['csv:ine:0123456789K', "D'ALMEIDA", 'Héloïse', '5B'],
      ['csv:ine:4567890123F', 'LEFÈVRE', 'Chloé', '6A'],
      ['csv:ine:5678901234G', 'LEFÈVRE', 'Maël', '5B'],
    ]);
    expect(base.pupils[0]!.sourceIds).toEqual({ local: 'E-001' });
    expect(base.guardians.map((g) => g.label)).toEqual(['MÉNARD Hélène', 'ŒUVRARD François', "D'ALMEIDA Inês", 'LEFÈVRE Sandrine']);
    expect(base.links).toHaveLength(5);
    expect(base.problems).toEqual([]);
  });

  it('asks for the mapping first, and refuses a mapping whose columns the file lacks', async () => {
    const first = await refusal([fixture('csv/eleves-logiciel-prive.csv')]);
    expect(first.reason).toBe('mapping-required');
    expect(first.message).toMatch(/correspondance des colonnes/);
    const wrong = await refusal([fixture('csv/eleves-logiciel-prive.csv')], { ...GENERIC_MAPPING, 'pupil.birthCity': 'Lieu de naissance' });
    expect(wrong.reason).toBe('mapping-required');
    expect(wrong.message).toContain('« Lieu de naissance »');
  });
});

describe('bad input: refused whole, with a stable reason and a French sentence', () => {
  const cases: [string, string][] = [
    ['bad/empty.xml', 'empty'],
    ['bad/blank.xml', 'empty'],
    ['bad/billion-laughs.xml', 'dtd'],
    ['bad/xxe.xml', 'dtd'],
    ['bad/undefined-entity.xml', 'entity'],
    ['bad/truncated.xml', 'truncated'],
    ['bad/utf8-declared-latin9.xml', 'encoding-mismatch'],
    ['bad/latin9-declared-utf8.xml', 'encoding-mismatch'],
    ['bad/cp1252-declared-latin9.xml', 'encoding-mismatch'],
    ['bad/utf16.xml', 'encoding-unsupported'],
    ['bad/unknown-encoding.xml', 'encoding-unsupported'],
    ['bad/other-establishment.xml', 'other-establishment'],
    ['bad/uai-invalid.xml', 'uai-invalid'],
    ['bad/not-siecle.xml', 'unknown-xml'],
    ['bad/malformed.xml', 'malformed'],
    ['bad/classeur.xlsx', 'wrong-type'],
    ['bad/document.pdf', 'wrong-type'],
    ['bad/image.png', 'wrong-type'],
    ['nowhere/ElevesSansAdresses.xml', 'not-found'],
  ];
  it.each(cases)('%s → %s', async (path, reason) => {
    const result = await refusal([fixture(path)]);
    expect(result.reason).toBe(reason);
    // A sentence for the user, naming the file, not a parser's English.
    const name = path.split('/').pop()!;
    expect(result.message).toContain(name);
    expect(result.message.replace(name, '')).not.toMatch(/Error|undefined|unclosed|entity\b/);
  });

  it('says what the encoding contradiction is', async () => {
    expect((await refusal([fixture('bad/utf8-declared-latin9.xml')])).message).toMatch(/déclare l’encodage ISO-8859-15, mais son contenu est en UTF-8/);
    expect((await refusal([fixture('bad/cp1252-declared-latin9.xml')])).message).toMatch(/0x92/);
    expect((await refusal([fixture('bad/other-establishment.xml')])).message).toMatch(/0750654D, pas de 0310001H/);
    expect((await refusal([fixture('bad/truncated.xml')])).message).toMatch(/incomplet/);
  });

  it('refuses a relative path, a folder, mixed software, two exports of one kind, and files with nothing to import', async () => {
    expect((await refusal(['ElevesSansAdresses.xml'])).reason).toBe('not-found');
    expect((await refusal([FIXTURES_DIR])).reason).toBe('not-a-file');
    expect((await refusal([SIECLE[0]!, fixture('onde/CSVExtraction-eleves.csv')])).reason).toBe('mixed-sources');
    expect((await refusal([SIECLE[0]!, fixture('siecle/ExportSiecle.zip')])).reason).toBe('duplicate-kind');
    expect((await refusal([fixture('siecle/Nomenclature.xml')])).reason).toBe('no-data');
  });

  it('refuses an archive that would inflate beyond the limit before reading it, and one without XML', async () => {
    const archive = zipArchive([{ name: 'ElevesSansAdresses.xml', data: readFileSync(SIECLE[0]!) }]);
    // The central directory claims 600 MB for the entry.
    const central = archive.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    archive.writeUInt32LE(600 * 1024 * 1024, central + 24);
    const bomb = join(scratch.path, 'bombe.zip');
    writeFileSync(bomb, archive);
    expect((await refusal([bomb])).reason).toBe('too-large');
    const text = join(scratch.path, 'texte.zip');
    writeFileSync(text, zipArchive([{ name: 'note.txt', data: Buffer.from('rien') }]));
    expect((await refusal([text])).reason).toBe('zip');
  });
});

describe('ISO-8859-15 decoding', () => {
  it('gives what the WHATWG decoder gives, for every byte, alone, mixed and in runs', () => {
    const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const samples = [
      every,
      Buffer.from('<NOM>C\xbdur</NOM><PRENOM>Zo\xeb \xa4 \xa6\xa8\xb4\xb8\xbc\xbd\xbe</PRENOM>', 'latin1'),
      Buffer.alloc(1000, 0xbc),
      // More than a chunk is cut into (text full of œ and €): every one of them still decoded.
      Buffer.concat([Buffer.alloc(3000, 0xbd), Buffer.from('abc'), Buffer.alloc(3000, 0xa4)]),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
      Buffer.from('plain ASCII'),
    ];
    for (const bytes of samples) expect(new CheckedDecoder('iso-8859-15').write(bytes).join('')).toBe(new TextDecoder('iso-8859-15').decode(bytes));
  });
});

describe('the fixture files', () => {
  it('are what test/helpers/import-fixtures.ts writes (regenerate them with `npx tsx test/helpers/import-fixtures.ts`)', () => {
    for (const [path, bytes] of Object.entries(fixtureFiles())) expect(readFileSync(fixture(path)).equals(bytes), path).toBe(true);
  });
});
