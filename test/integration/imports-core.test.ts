/**
 * Imports through the real dispatcher, a real core database and the demo directory over HTTP: a SIECLE export of the
 * establishment (written from the directory's own data, then edited) is previewed (nothing written), its changes
 * paged, applied at once (school records with what SIECLE brings, review items of origin import), re-imported
 * (nothing new), reported in a workbook; bad files are refused with nothing written; a person the directory does
 * not know yet is adopted under its directory id once it appears there.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { getSchoolRecord } from '../../electron/core/school/records';
import { ApiError } from '../../shared/api/errors';
import type { JobInfo } from '../../shared/api/contract';
import { FIXTURES_DIR, GENERIC_MAPPING } from '../helpers/import-fixtures';
import { importSetup, type ImportSetup } from './imports-helpers';

let t: ImportSetup | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const importItems = (s: ImportSetup) =>
  s.core.db.prepare("SELECT person_kind, person_id, field, school_value, new_value, state, import_id FROM review_items WHERE origin = 'import' ORDER BY id").all() as {
    person_kind: string;
    person_id: string;
    field: string;
    school_value: string | null;
    new_value: string | null;
    state: string;
    import_id: string;
  }[];

describe('imports.preview → imports.apply on a SIECLE export', () => {
  it('previews without writing, applies at once, and re-imports the same files without anything new', { timeout: 60_000 }, async () => {
    t = await importSetup();
    const s = t;
    const base = s.base();
    const pupil = base.pupils[0]!;
    const guardian = base.persons.find((p) => p.email)!;
    const directoryPupil = s.core.db.prepare("SELECT id FROM dir_pupils WHERE json_extract(data, '$.sourceIds.siecle') = ?").pluck().get(pupil.eleveId) as string;
    const directoryGuardian = s.core.db.prepare("SELECT id FROM dir_guardians WHERE json_extract(data, '$.sourceIds.siecle') = ?").pluck().get(guardian.personneId) as string;
    // The school spells the pupil's first name in capitals, and holds another email for a guardian.
    pupil.firstName = pupil.firstName.toUpperCase();
    guardian.email = 'adresse.ecole@ac-toulouse.fr';
    // A pupil the directory does not know yet (a name with Œ, É, ï, an apostrophe and letters outside Latin-9, which
    // travel as character references in the ISO-8859-15 file), and one who left.
    base.pupils.push({ ...base.pupils[1]!, eleveId: '9000001', ine: '9876543210Z', firstName: 'Anaïs-Łucja', lastName: "ŒUVRARD D'ÉTÉ NGUYỄN DVOŘÁK" });
    base.pupils[2]!.leftDate = '2025-09-20';
    const files = s.writeExport(base);

    const events: JobInfo[] = [];
    const off = s.core.events.subscribe((event, payload) => {
      if (event === 'job.progress') events.push(payload as JobInfo);
    });
    const before = s.core.db.prepare('SELECT data FROM school_records ORDER BY person_id').pluck().all();
    const preview = await s.call('imports.preview', { uai: s.uai, files, jobId: 'apercu-1' });
    off();
    expect(preview.source).toBe('siecle');
    expect(preview.counts).toMatchObject({ pupils: base.pupils.length, pupilsLeft: 1, guardians: base.persons.length, links: base.links.length, new: 1 });
    expect(preview.counts.changed).toBeGreaterThan(0);
    expect(preview.counts.differences).toBe(2);
    expect(preview.sameFilesAppliedAt).toBeNull();
    expect(events.some((e) => e.jobId === 'apercu-1' && e.kind === 'import' && e.state === 'done')).toBe(true);
    // Nothing applied by a preview.
    expect(s.core.db.prepare('SELECT data FROM school_records ORDER BY person_id').pluck().all()).toEqual(before);
    expect(importItems(s)).toEqual([]);

    const changed = await s.call('imports.changes', { previewId: preview.previewId, status: 'changed', personKind: 'pupil', limit: 500 });
    const row = changed.items.find((i) => i.personId === directoryPupil)!;
    expect(row.fields).toEqual(expect.arrayContaining([{ field: 'firstName', before: pupil.firstName[0] + pupil.firstName.slice(1).toLowerCase(), after: pupil.firstName }]));
    expect(row.differences).toEqual([{ field: 'firstName', school: pupil.firstName, directory: expect.any(String) }]);
    const added = await s.call('imports.changes', { previewId: preview.previewId, status: 'new' });
    expect(added.items.map((i) => i.label)).toEqual(["ŒUVRARD D'ÉTÉ NGUYỄN DVOŘÁK Anaïs-Łucja"]);
    expect(added.items[0]!.personId).toMatch(/^imp-/);

    const applied = await s.call('imports.apply', { previewId: preview.previewId });
    expect(applied).toMatchObject({ applied: true, reviewItems: 2 });
    expect(getSchoolRecord(s.core.db, 'pupil', added.items[0]!.personId)!.data).toMatchObject({ lastName: "ŒUVRARD D'ÉTÉ NGUYỄN DVOŘÁK", firstName: 'Anaïs-Łucja' });
    const record = getSchoolRecord(s.core.db, 'pupil', directoryPupil)!;
    expect(record.origin).toBe('import');
    expect(record.data).toMatchObject({ firstName: pupil.firstName, ine: pupil.ine, mef: pupil.mef, division: pupil.division, sourceIds: { siecle: pupil.eleveId }, source: 'siecle' });
    expect(importItems(s)).toEqual([
      expect.objectContaining({ person_id: directoryPupil, field: 'firstName', school_value: pupil.firstName, state: 'pending', import_id: preview.previewId }),
      expect.objectContaining({ person_id: directoryGuardian, field: 'email', school_value: 'adresse.ecole@ac-toulouse.fr', state: 'pending' }),
    ]);
    const item = (await s.call('review.list', { uai: s.uai, field: 'firstName', state: 'pending' })).items.find((i) => i.personId === directoryPupil)!;
    expect(item).toMatchObject({ origin: 'import', source: 'academie', lowRisk: true });
    const trail = s.core.db.prepare("SELECT method, outcome FROM audit_log WHERE method LIKE 'imports.%' ORDER BY id").all();
    expect(trail).toEqual([{ method: 'imports.preview', outcome: 'ok' }, { method: 'imports.apply', outcome: 'ok' }]);

    expect((await failure(s.call('imports.apply', { previewId: preview.previewId }))).code).toBe('CONFLICT');

    // The same files again: nothing new, and the preview says they were applied already.
    const again = await s.call('imports.preview', { uai: s.uai, files });
    expect(again.counts).toMatchObject({ new: 0, changed: 0, left: 0, differences: 0 });
    expect(again.sameFilesAppliedAt).not.toBeNull();
    expect(await s.call('imports.apply', { previewId: again.previewId })).toMatchObject({ reviewItems: 0 });
    await s.sync();
    expect(importItems(s)).toHaveLength(2);

    // A later SIECLE export that lacks a pupil an import brought: the pupil is marked gone.
    const later = s.base();
    const gone = later.pupils.splice(3, 1)[0]!;
    const third = await s.call('imports.preview', { uai: s.uai, files: s.writeExport(later) });
    const left = await s.call('imports.changes', { previewId: third.previewId, status: 'left' });
    expect(left.items.map((i) => i.ine)).toContain(gone.ine);
    expect(third.counts.left).toBeGreaterThanOrEqual(2); // the gone pupil, and the new one, who is in no export now

    // An older preview cannot be applied over a newer import.
    const stale = await s.call('imports.preview', { uai: s.uai, files });
    await s.call('imports.apply', { previewId: third.previewId });
    expect((await failure(s.call('imports.apply', { previewId: stale.previewId }))).code).toBe('CONFLICT');
  });

  it('writes the import report: summary, changes, problems, review items', { timeout: 60_000 }, async () => {
    t = await importSetup({ pupils: 40 });
    const base = t.base();
    base.persons[0]!.mobile = '06 12';
    const preview = await t.call('imports.preview', { uai: t.uai, files: t.writeExport(base) });
    await t.call('imports.apply', { previewId: preview.previewId });
    const path = join(t.dir, 'rapport-import.xlsx');
    const out = await t.call('imports.report', { previewId: preview.previewId, path });
    expect(out.path).toBe(path);
    expect(existsSync(path)).toBe(true);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Résumé', 'Changements', 'Problèmes', 'À examiner']);
    const summary = workbook.getWorksheet('Résumé')!;
    expect(summary.getRow(2).values).toEqual([undefined, 'Établissement', t.uai]);
    const problems = workbook.getWorksheet('Problèmes')!;
    expect(problems.getRow(1).values).toEqual([undefined, 'Fichier', 'Emplacement', 'Gravité', 'Code', 'Explication']);
    expect(problems.getColumn(4).values).toContain('mobile-invalid');
    // An existing file only with overwrite.
    expect((await failure(t.call('imports.report', { previewId: preview.previewId, path }))).code).toBe('CONFLICT');
    expect((await t.call('imports.report', { previewId: preview.previewId, path, overwrite: true })).path).toBe(path);
  });

  it('refuses bad files as a whole: a clear error, and neither a preview nor a change', { timeout: 60_000 }, async () => {
    t = await importSetup({ pupils: 30 });
    const s = t;
    // This establishment's own export, damaged in the ways real files are.
    const [eleves] = s.writeExport(s.base());
    const bytes = readFileSync(eleves!);
    const damaged = (name: string, content: Buffer) => {
      const path = join(s.dir, name);
      writeFileSync(path, content);
      return path;
    };
    const cases: [string, string][] = [
      [join(FIXTURES_DIR, 'bad/other-establishment.xml'), 'other-establishment'],
      [damaged('tronque.xml', bytes.subarray(0, Math.floor(bytes.length / 2))), 'truncated'],
      [join(FIXTURES_DIR, 'bad/billion-laughs.xml'), 'dtd'],
      [damaged('utf8.xml', Buffer.from(iconv.decode(bytes, 'iso-8859-15'), 'utf8')), 'encoding-mismatch'],
      [join(FIXTURES_DIR, 'bad/empty.xml'), 'empty'],
      [join(FIXTURES_DIR, 'bad/classeur.xlsx'), 'wrong-type'],
    ];
    for (const [file, reason] of cases) {
      const error = await failure(s.call('imports.preview', { uai: s.uai, files: [file] }));
      expect([file, error.code, error.status, (error.details as { reason: string }).reason]).toEqual([file, 'INVALID_FILE', 422, reason]);
    }
    // Another establishment's export (the fixtures belong to 0310001H).
    const other = await failure(s.call('imports.preview', { uai: s.uai, files: [join(FIXTURES_DIR, 'siecle/ElevesSansAdresses.xml')] }));
    expect(other.message).toMatch(/pas de/);
    expect(s.core.db.prepare('SELECT count(*) FROM import_previews').pluck().get()).toBe(0);
    expect(s.core.db.prepare("SELECT count(*) FROM school_records WHERE origin = 'import'").pluck().get()).toBe(0);
    expect(s.core.db.prepare("SELECT count(*) FROM audit_log WHERE method = 'imports.preview' AND outcome = 'error'").pluck().get()).toBe(cases.length + 1);
  });

  it('stops a preview on « Arrêter »: nothing kept', { timeout: 60_000 }, async () => {
    t = await importSetup({ pupils: 30 });
    const s = t;
    const files = s.writeExport(s.base());
    const off = s.core.events.subscribe((event, payload) => {
      if (event === 'job.progress' && (payload as JobInfo).jobId === 'arret' && (payload as JobInfo).state === 'running') s.core.jobs.cancel('arret');
    });
    const error = await failure(s.call('imports.preview', { uai: s.uai, files, jobId: 'arret' }));
    off();
    expect(error.code).toBe('CONFLICT');
    expect(error.details).toMatchObject({ reason: 'cancelled' });
    expect(s.core.db.prepare('SELECT count(*) FROM import_previews').pluck().get()).toBe(0);
  });

  it('adopts the record of a pupil the directory did not know once the directory has it', { timeout: 60_000 }, async () => {
    t = await importSetup({ pupils: 30 });
    const s = t;
    const base = s.base();
    const model = base.pupils[0]!;
    base.pupils.push({ ...model, eleveId: '9000042', ine: '1111111111A', lastName: 'ARRIVÉE', firstName: 'Zoé' });
    const preview = await s.call('imports.preview', { uai: s.uai, files: s.writeExport(base) });
    await s.call('imports.apply', { previewId: preview.previewId });
    const local = s.core.db.prepare("SELECT person_id FROM school_records WHERE json_extract(data, '$.importKey') = 'siecle:9000042'").pluck().get() as string;
    expect(local).toMatch(/^imp-/);
    // SIECLE feeds the directory: the pupil appears there with its ELEVE_ID.
    const template = s.directory.store.liveRows(s.uai, 'pupil')[0]!;
    s.directory.store.transaction(() => {
      s.directory.store.put(s.uai, 'pupil', 'ele-arrivee', { ...template.data, ine: '1111111111A', lastName: 'Arrivée', firstName: 'Zoé', sourceIds: { siecle: '9000042' } } as never);
    });
    await s.sync();
    expect(s.core.db.prepare("SELECT person_id FROM school_records WHERE json_extract(data, '$.importKey') = 'siecle:9000042'").pluck().all()).toEqual(['ele-arrivee']);
    // Matched from now on by its INE: the next import finds it, and shows the spelling difference for review.
    const next = await s.call('imports.preview', { uai: s.uai, files: s.writeExport(base) });
    expect(next.counts.new).toBe(0);
    expect(next.counts.differences).toBe(1);
  });
});

describe('a generic CSV and its saved mapping', () => {
  it('proposes a mapping, saves it for the establishment, and imports with it', { timeout: 60_000 }, async () => {
    t = await importSetup({ pupils: 30 });
    const s = t;
    const file = join(FIXTURES_DIR, 'csv/eleves-logiciel-prive.csv');
    const first = await s.call('imports.csvColumns', { uai: s.uai, file });
    expect(first.saved).toBe(false);
    expect(first.headers[0]).toBe('Numéro');
    expect(first.mapping).toMatchObject({ 'pupil.lastName': 'Nom', 'pupil.firstName': 'Prénom', 'pupil.ine': 'INE', 'pupil.division': 'Classe', 'guardian1.lastName': 'Nom responsable 1', 'guardian2.mobile': 'Portable responsable 2' });
    const refused = await failure(s.call('imports.preview', { uai: s.uai, files: [file] }));
    expect((refused.details as { reason: string }).reason).toBe('mapping-required');
    await s.call('imports.saveMapping', { uai: s.uai, mapping: GENERIC_MAPPING });
    expect((await s.call('imports.csvColumns', { uai: s.uai, file })).saved).toBe(true);
    const preview = await s.call('imports.preview', { uai: s.uai, files: [file] });
    expect(preview.source).toBe('csv');
    expect(preview.counts).toMatchObject({ pupils: 4, guardians: 4, links: 5, new: 8 });
    expect((await s.call('imports.history', { uai: s.uai }))[0]).toMatchObject({ previewId: preview.previewId, state: 'ready', source: 'csv' });
  });
});
