/**
 * stats.exportXlsx: the workbook read back with exceljs, sheet by sheet, against stats.summary, stats.evolution and
 * stats.callList; its formatting (frozen headers, autofilters, A4 landscape one page wide with repeated headers,
 * percentage formats, colour scales, the chart's picture, document properties); the export file's rules (an existing
 * path only with overwrite, a cancel leaves nothing); no data; several establishments; the audit entry.
 */
import ExcelJS from 'exceljs';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/api/errors';
import type { StatsGroup } from '../../shared/api/methods/stats';
import { rate } from '../../shared/domain/stats';
import { openStatsEnv, type StatsEnv } from './stats-helpers';

let env: StatsEnv;
let uai: string;

beforeAll(async () => {
  env = await openStatsEnv({ establishments: 2, pupils: 150, today: '2026-11-20' });
  uai = env.uais[0]!;
  await env.advance(10);
  await env.sync();
}, 60_000);

afterAll(async () => {
  await env?.close();
});

async function read(path: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook;
}

/** The data rows of a table sheet (title row 1, header row 2), as arrays from column A. */
function rows(sheet: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  for (let r = 3; r <= sheet.rowCount; r++) out.push((sheet.getRow(r).values as unknown[]).slice(1));
  return out;
}

const header = (sheet: ExcelJS.Worksheet) => (sheet.getRow(2).values as unknown[]).slice(1);

/** The cells the workbook writes for a group's figures (counts, then rates as fractions; null without a rate). */
const measures = (g: StatsGroup) => [
  g.pupils, g.pupilsActivated, rate(g.pupilsActivated, g.pupils), g.guardians, g.guardiansActivated, rate(g.guardiansActivated, g.guardians),
  g.familiesWithActivatedGuardian, rate(g.familiesWithActivatedGuardian, g.pupils), g.pupilsNotified, g.guardiansNotified,
].map((v) => (v === null ? undefined : v));

describe('stats.exportXlsx, one establishment', () => {
  let workbook: ExcelJS.Workbook;
  let path: string;

  beforeAll(async () => {
    path = join(env.dataDir, 'statistiques.xlsx');
    const result = await env.call('stats.exportXlsx', { uai, path });
    expect(result).toEqual({ path, cancelled: false });
    workbook = await read(path);
  });

  it('has the sheets Synthèse, Par classe, Par MEF, Évolution, À relancer, and the document properties', async () => {
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Synthèse', 'Par classe', 'Par MEF', 'Évolution', 'À relancer']);
    const summary = await env.call('stats.summary', { uai });
    const name = (await env.call('establishments.list', {})).find((e) => e.uai === uai)!.name;
    expect(workbook.title).toContain(name);
    expect(workbook.subject).toContain(uai);
    expect(workbook.creator).toBe('EduConnect Desk');
    expect(workbook.description).toContain(summary.asOf!.split('-').reverse().join('/'));
    expect(workbook.created).toBeInstanceOf(Date);
  });

  it('Synthèse: the dashboard’s totals, rates, follow-up counts and levels', async () => {
    const summary = await env.call('stats.summary', { uai });
    const sheet = workbook.getWorksheet('Synthèse')!;
    const byLabel = new Map<string, unknown[]>();
    sheet.eachRow((row) => {
      const values = (row.values as unknown[]).slice(1);
      if (typeof values[0] === 'string') byLabel.set(values[0], values.slice(1));
    });
    expect(byLabel.get('Élèves')).toEqual([summary.pupils.total, summary.pupils.activated, rate(summary.pupils.activated, summary.pupils.total), 0.8, rate(summary.pupils.activated, summary.pupils.total)! - 0.8]);
    expect(byLabel.get('Représentants légaux')!.slice(0, 3)).toEqual([summary.guardians.total, summary.guardians.activated, rate(summary.guardians.activated, summary.guardians.total)]);
    expect(byLabel.get('Familles (au moins un représentant légal activé)')!.slice(0, 2)).toEqual([summary.families.total, summary.families.withActivatedGuardian]);
    expect(byLabel.get('Élèves notifiés, non activés')).toEqual([summary.pupils.notified]);
    expect(byLabel.get('Représentants notifiés, non activés')).toEqual([summary.guardians.notified]);
    expect(byLabel.get('Élèves dont la lettre a expiré')).toEqual([summary.pupils.expiredLetters]);
    expect(byLabel.get('Représentants dont la lettre a expiré')).toEqual([summary.guardians.expiredLetters]);
    for (const level of summary.byLevel) {
      expect(byLabel.get(level.label)).toEqual([level.pupils, level.pupilsActivated, rate(level.pupilsActivated, level.pupils), rate(level.guardiansActivated, level.guardians), rate(level.familiesWithActivatedGuardian, level.pupils)]);
    }
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getImages()).toHaveLength(1);
  });

  it('Par classe and Par MEF: one row per class and MEF, equal to stats.summary', async () => {
    const summary = await env.call('stats.summary', { uai });
    const classes = workbook.getWorksheet('Par classe')!;
    expect(header(classes).slice(0, 5)).toEqual(['Classe', 'MEF', 'Élèves', 'Élèves activés', 'Taux élèves']);
    expect(rows(classes)).toEqual(summary.byClass.map((c) => [c.division, c.mef, ...measures(c)]));
    const mefs = workbook.getWorksheet('Par MEF')!;
    expect(rows(mefs)).toEqual(summary.byMef.map((m) => [m.mef, m.label, ...measures(m)]));
  });

  it('Évolution: every day of the year with its source, and the chart’s picture', async () => {
    const evolution = await env.call('stats.evolution', { uai });
    const sheet = workbook.getWorksheet('Évolution')!;
    const data = rows(sheet);
    expect(data).toHaveLength(evolution.points.length);
    evolution.points.forEach((p, i) => {
      const row = data[i]!;
      expect((row[0] as Date).toISOString().slice(0, 10)).toBe(p.date);
      expect(row.slice(1, 3)).toEqual([p.pupils, p.pupilsActivated]);
      expect(row[3]).toBe(rate(p.pupilsActivated, p.pupils));
      expect(row[9]).toBe(p.source === 'snapshot' ? 'Relevé à la synchronisation' : 'Historique de l’annuaire');
    });
    const images = sheet.getImages();
    expect(images).toHaveLength(1);
    const media = workbook.getImage(Number(images[0]!.imageId));
    expect(media.extension).toBe('png');
    const png = media.buffer as unknown as Buffer;
    expect([...png.subarray(1, 4)].map((b) => String.fromCharCode(b)).join('')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(960);
  });

  it('À relancer: the call lists of pupils then families, by class, with contacts and their confirmation', async () => {
    const sheet = workbook.getWorksheet('À relancer')!;
    const pupils = await env.call('stats.callList', { uai, kind: 'pupil', limit: 500 });
    const families = await env.call('stats.callList', { uai, kind: 'family', limit: 500 });
    const data = rows(sheet);
    expect(data).toHaveLength(pupils.total + families.total);
    const statusLabel = { none: 'Sans', unconfirmed: 'Non confirmé', confirmed: 'Confirmé' } as const;
    const expected = [...pupils.rows, ...families.rows].map((r) => [
      r.kind === 'pupil' ? 'Élève' : 'Famille', r.lastName, r.firstName, r.division ?? undefined,
      r.children.map((c) => `${c.displayName} (${c.division})`).join(', ') || undefined,
      r.state === 'notifie' ? 'Notifié' : 'Non notifié', r.state === 'notifie' ? (r.letterExpired ? 'Oui' : 'Non') : undefined,
      r.email ?? undefined, statusLabel[r.emailStatus!], r.mobile ?? undefined, statusLabel[r.mobileStatus!],
    ]);
    expect(data.map((row) => Array.from({ length: 11 }, (_, i) => row[i]))).toEqual(expected);
  });

  it('every table sheet: title and header rows frozen, repeated when printed, autofilter, A4 landscape one page wide, % and colour scale', () => {
    for (const name of ['Par classe', 'Par MEF', 'Évolution', 'À relancer']) {
      const sheet = workbook.getWorksheet(name)!;
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      expect(sheet.pageSetup).toMatchObject({ orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:2' });
      expect(sheet.autoFilter).toMatch(/^A2:[A-Z]+2$/);
      expect(sheet.getRow(2).font?.bold).toBe(true);
      expect(sheet.getRow(2).getCell(1).fill).toMatchObject({ type: 'pattern', fgColor: { argb: 'FF1F4E79' } });
    }
    const classes = workbook.getWorksheet('Par classe')!;
    expect(classes.getRow(3).getCell(5).numFmt).toBe('0.0%');
    const { conditionalFormattings } = classes as unknown as { conditionalFormattings: { ref: string; rules: { type: string }[] }[] };
    const scales = conditionalFormattings.flatMap((cf) => cf.rules.map((r) => [cf.ref, r.type]));
    expect(scales).toEqual([['E3:E' + classes.rowCount, 'colorScale'], ['H3:H' + classes.rowCount, 'colorScale'], ['J3:J' + classes.rowCount, 'colorScale']]);
  });

  it('an existing file is refused unless overwrite is asked for; the refusal and the export are audited', async () => {
    const refused = await env.call('stats.exportXlsx', { uai, path }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('CONFLICT');
    expect((refused as ApiError).details).toMatchObject({ reason: 'exists' });
    expect(await env.call('stats.exportXlsx', { uai, path, overwrite: true })).toEqual({ path, cancelled: false });
    const entries = env.core.db
      .prepare("SELECT outcome, target_id AS targetId, after FROM audit_log WHERE method = 'stats.exportXlsx' ORDER BY id")
      .all() as { outcome: string; targetId: string | null; after: string | null }[];
    expect(entries.map((e) => e.outcome)).toEqual(['ok', 'error', 'ok']);
    expect(JSON.parse(entries.at(-1)!.after!)).toMatchObject({ overwrite: true, cancelled: false, establishments: [uai] });
    expect(entries.at(-1)!.targetId).toBe(path);
  });

  it('a cancelled export leaves no file behind', async () => {
    const folder = join(env.dataDir, 'annule');
    mkdirSync(folder);
    const jobId = 'stats-cancel';
    const off = env.core.events.subscribe((event, payload) => {
      if (event === 'job.progress' && (payload as { jobId?: string }).jobId === jobId) void env.call('jobs.cancel', { jobId });
    });
    const result = await env.call('stats.exportXlsx', { uai, path: join(folder, 'stats.xlsx'), jobId });
    off();
    expect(result.cancelled).toBe(true);
    expect(readdirSync(folder)).toEqual([]);
  });

  it('other bad paths: relative, wrong extension, missing folder', async () => {
    for (const [path, reason] of [
      ['stats.xlsx', 'relative'],
      [join(env.dataDir, 'stats.csv'), 'extension'],
      [join(env.dataDir, 'absent', 'stats.xlsx'), 'folder-missing'],
    ] as const) {
      const error = (await env.call('stats.exportXlsx', { uai, path }).catch((e: unknown) => e)) as ApiError;
      expect(error.details).toMatchObject({ reason });
    }
  });
});

describe('stats.exportXlsx, several establishments and no data', () => {
  it('without uai: Par établissement and Par département sheets, and an Établissement column', async () => {
    const path = join(env.dataDir, 'academie.xlsx');
    await env.call('stats.exportXlsx', { path });
    const workbook = await read(path);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Synthèse', 'Par classe', 'Par MEF', 'Évolution', 'Par établissement', 'Par département', 'À relancer']);
    const summary = await env.call('stats.summary', {});
    const establishments = rows(workbook.getWorksheet('Par établissement')!);
    expect(establishments.map((r) => [r[1], r[2], ...r.slice(3, 13)])).toEqual(summary.byEstablishment.map((e) => [e.uai, e.department, ...measures(e)]));
    const departments = rows(workbook.getWorksheet('Par département')!);
    expect(departments).toEqual(summary.byDepartment.map((d) => [d.label, d.establishments, ...measures(d)]));
    expect(header(workbook.getWorksheet('Par classe')!)[0]).toBe('Établissement');
    expect(rows(workbook.getWorksheet('Par classe')!)).toHaveLength(summary.byClass.length);
  });

  it('an establishment without data yet: refused with the reason, no file written', async () => {
    env.core.db.prepare("INSERT INTO establishments (uai, name, kind) VALUES ('0750654D', 'Collège sans données', 'college')").run();
    // The operator's perimeter comes from the directory: an access-free call shows the service's own refusal.
    const figures = await env.core.stats.summary('0750654D', ['0750654D']);
    expect(figures.pupils.total + figures.guardians.total).toBe(0);
    expect(figures.asOf).toBeNull();
    const path = join(env.dataDir, 'vide.xlsx');
    const handlers = env.core.stats.handlers();
    const error = (await Promise.resolve(
      handlers['stats.exportXlsx']({ uai: '0750654D', path }, { transport: 'internal', operator: null, uais: ['0750654D'], audit: () => undefined }),
    ).catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toMatch(/Lancez une synchronisation/);
    expect(existsSync(path)).toBe(false);
  });
});
