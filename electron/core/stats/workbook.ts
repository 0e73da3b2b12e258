/**
 * The statistics workbook, written with exceljs's streaming writer (the call list of a large establishment never sits
 * in memory): Synthèse, Par classe, Par MEF, Évolution (with the chart's picture), À relancer, and Par établissement /
 * Par département with several establishments. Every figure is the dashboard's (stats.summary, stats.evolution,
 * stats.callList): counts as numbers, rates as fractions shown as percentages, never formulas. Table sheets have a
 * title row and a styled header row, both frozen and repeated on each printed page (A4 landscape, one page wide), an
 * autofilter, and a red-to-green colour scale on the rates.
 */
import type { Writable } from 'node:stream';
import type { stream, Fill, Font } from 'exceljs';
import type { CallListRow, StatsEvolution, StatsGroup, StatsSummary } from '../../../shared/api/methods/stats';
import { CONTACT_STATUS_LABELS, STATE_LABELS } from '../../../shared/domain/accounts';
import { rate } from '../../../shared/domain/stats';
import { loadExcel } from '../exports/excel';
import { statsCoreStrings } from './strings';
import { addPicture, addPng } from './xlsx-picture';

const s = statsCoreStrings.workbook;
const c = s.columns;

type WorkbookWriter = stream.xlsx.WorkbookWriter;
type Cell = string | number | Date | null;

/** One establishment's call list, read a chunk at a time. */
export interface CallListSource {
  uai: string;
  name: string;
  pupils: { total: number; chunks: () => Iterable<CallListRow[]> };
  families: { total: number; chunks: () => Iterable<CallListRow[]> };
  contactsWithheld: boolean;
}

export interface WorkbookInput {
  summary: StatsSummary;
  evolution: StatsEvolution;
  /** Establishment names by UAI. */
  names: ReadonlyMap<string, string>;
  callLists: CallListSource[];
  /** The evolution chart as PNG (CHART_SIZE). */
  chart: Buffer;
  chartDescription: string;
  exportedAt: Date;
}

export interface WorkbookHooks {
  cancelled?: () => boolean;
  progress?: (done: number, total: number) => Promise<void> | void;
}

const HEADER_FONT: Partial<Font> = { bold: true, color: { argb: 'FFFFFFFF' } };
const HEADER_FILL: Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
const TITLE_FONT: Partial<Font> = { bold: true, size: 13, color: { argb: 'FF1F4E79' } };
const RATE_FORMAT = '0.0%';
const COUNT_FORMAT = '#,##0';
const DATE_FORMAT = 'dd/mm/yyyy';
/** Red (0 %) → yellow (the target) → green (100 %). */
const colourScale = (target: number) => ({
  type: 'colorScale' as const,
  priority: 1,
  cfvo: [
    { type: 'num' as const, value: 0 },
    { type: 'num' as const, value: target },
    { type: 'num' as const, value: 1 },
  ],
  color: [{ argb: 'FFF8696B' }, { argb: 'FFFFEB84' }, { argb: 'FF63BE7B' }],
});

const PAGE_SETUP = {
  paperSize: 9, // A4
  orientation: 'landscape' as const,
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  margins: { left: 0.5, right: 0.5, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
};
const FOOTER = { oddFooter: '&L&A&RPage &P / &N' };

interface Column {
  header: string;
  width: number;
  format?: 'count' | 'rate' | 'date';
}

const formatOf = (format: Column['format']) =>
  format === 'rate' ? RATE_FORMAT : format === 'count' ? COUNT_FORMAT : format === 'date' ? DATE_FORMAT : undefined;

/** A table sheet: title row, header row, data rows; `finish` adds the colour scale on the rate columns and commits. */
function tableSheet(workbook: WorkbookWriter, name: string, title: string, columns: Column[], target: number) {
  const sheet = workbook.addWorksheet(name, {
    views: [{ state: 'frozen', ySplit: 2 }],
    pageSetup: { ...PAGE_SETUP, printTitlesRow: '1:2' },
    headerFooter: FOOTER,
  });
  sheet.columns = columns.map((col, i) => ({ key: String(i), width: col.width, style: formatOf(col.format) ? { numFmt: formatOf(col.format) } : {} }));
  const titleRow = sheet.addRow([title]);
  titleRow.font = TITLE_FONT;
  titleRow.commit();
  const header = sheet.addRow(columns.map((col) => col.header));
  header.font = HEADER_FONT;
  header.fill = HEADER_FILL;
  header.alignment = { vertical: 'middle', wrapText: true };
  header.height = 32;
  header.commit();
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: columns.length } };
  let last = 2;
  return {
    sheet,
    add(cells: Cell[]): void {
      sheet.addRow(cells).commit();
      last += 1;
    },
    async finish(): Promise<void> {
      if (last > 2) {
        columns.forEach((col, i) => {
          if (col.format !== 'rate') return;
          const letter = columnLetter(i + 1);
          sheet.addConditionalFormatting({ ref: `${letter}3:${letter}${last}`, rules: [colourScale(target)] });
        });
      }
      await sheet.commit();
    },
  };
}

function columnLetter(n: number): string {
  let out = '';
  for (let m = n; m > 0; m = Math.floor((m - 1) / 26)) out = String.fromCharCode(65 + ((m - 1) % 26)) + out;
  return out;
}

/** The measure columns of a group, and their cells. */
const MEASURES: Column[] = [
  { header: c.pupils, width: 10, format: 'count' },
  { header: c.pupilsActivated, width: 11, format: 'count' },
  { header: c.pupilsRate, width: 10, format: 'rate' },
  { header: c.guardians, width: 13, format: 'count' },
  { header: c.guardiansActivated, width: 13, format: 'count' },
  { header: c.guardiansRate, width: 13, format: 'rate' },
  { header: c.families, width: 16, format: 'count' },
  { header: c.familiesRate, width: 10, format: 'rate' },
  { header: c.pupilsNotified, width: 13, format: 'count' },
  { header: c.guardiansNotified, width: 15, format: 'count' },
];
const measureCells = (g: StatsGroup): Cell[] => [
  g.pupils,
  g.pupilsActivated,
  rate(g.pupilsActivated, g.pupils),
  g.guardians,
  g.guardiansActivated,
  rate(g.guardiansActivated, g.guardians),
  g.familiesWithActivatedGuardian,
  rate(g.familiesWithActivatedGuardian, g.pupils),
  g.pupilsNotified,
  g.guardiansNotified,
];

const asDate = (day: string): Date => new Date(`${day}T00:00:00Z`);
const pad = (n: number) => String(n).padStart(2, '0');
const frenchDateTime = (d: Date) => `${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()} à ${pad(d.getHours())}:${pad(d.getMinutes())}`;

/** The whole workbook into `out`; stops between chunks of the call list when `cancelled()` (the caller discards it). */
export async function writeStatsWorkbook(out: Writable, input: WorkbookInput, hooks: WorkbookHooks = {}): Promise<{ cancelled: boolean }> {
  const { summary, evolution, names } = input;
  const several = summary.uai === null;
  const nameOf = (uai: string) => names.get(uai) ?? uai;
  const scopeName = several ? s.several(summary.uais.length) : `${nameOf(summary.uai!)} (${summary.uai})`;
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  const exportedAt = frenchDateTime(input.exportedAt);
  Object.assign(workbook, {
    creator: 'EduConnect Desk',
    lastModifiedBy: 'EduConnect Desk',
    created: input.exportedAt,
    modified: input.exportedAt,
    title: `${s.title} — ${scopeName}`,
    subject: s.subject(scopeName),
    keywords: s.keywords,
    description: s.description(summary.asOf, exportedAt),
    category: summary.asOf ?? '',
  });
  const total = input.callLists.reduce((n, l) => n + l.pupils.total + l.families.total, 0);
  let done = 0;
  const chart = addPng(workbook, input.chart);

  await writeSummarySheet(workbook, input, scopeName, exportedAt, chart);

  const establishmentColumn: Column[] = several ? [{ header: c.establishment, width: 28 }] : [];
  const classes = tableSheet(workbook, s.sheets.classes, s.sheetTitles.classes, [...establishmentColumn, { header: c.division, width: 10 }, { header: c.mef, width: 14 }, ...MEASURES], summary.target);
  for (const g of summary.byClass) classes.add([...(several ? [nameOf(g.uai)] : []), g.division, g.mef, ...measureCells(g)]);
  await classes.finish();

  const mefs = tableSheet(workbook, s.sheets.mefs, s.sheetTitles.mefs, [{ header: c.mef, width: 14 }, { header: c.mefLabel, width: 18 }, ...MEASURES], summary.target);
  for (const g of summary.byMef) mefs.add([g.mef, g.label, ...measureCells(g)]);
  await mefs.finish();

  const evo = tableSheet(
    workbook,
    s.sheets.evolution,
    s.sheetTitles.evolution,
    [
      { header: c.date, width: 12, format: 'date' },
      { header: c.pupils, width: 10, format: 'count' },
      { header: c.pupilsActivated, width: 11, format: 'count' },
      { header: c.pupilsRate, width: 10, format: 'rate' },
      { header: c.guardians, width: 13, format: 'count' },
      { header: c.guardiansActivated, width: 13, format: 'count' },
      { header: c.guardiansRate, width: 13, format: 'rate' },
      { header: c.families, width: 16, format: 'count' },
      { header: c.familiesRate, width: 10, format: 'rate' },
      { header: c.source, width: 26 },
    ],
    summary.target,
  );
  for (const p of evolution.points) {
    evo.add([
      asDate(p.date),
      p.pupils,
      p.pupilsActivated,
      rate(p.pupilsActivated, p.pupils),
      p.guardians,
      p.guardiansActivated,
      rate(p.guardiansActivated, p.guardians),
      p.familiesWithActivatedGuardian,
      p.familiesWithActivatedGuardian === null ? null : rate(p.familiesWithActivatedGuardian, p.pupils),
      s.sources[p.source],
    ]);
  }
  if (evolution.points.length === 0) evo.add([s.noEvolution]);
  addPicture(workbook, evo.sheet, chart, { col: 11, row: 1, width: 720, height: 315, description: input.chartDescription });
  await evo.finish();

  if (several) {
    const establishments = tableSheet(
      workbook,
      s.sheets.establishments,
      s.sheetTitles.establishments,
      [
        { header: c.establishment, width: 30 },
        { header: c.uai, width: 11 },
        { header: c.department, width: 12 },
        ...MEASURES,
        { header: c.expiredLetters, width: 10, format: 'count' },
        { header: c.asOf, width: 12, format: 'date' },
      ],
      summary.target,
    );
    for (const e of summary.byEstablishment) {
      establishments.add([nameOf(e.uai), e.uai, e.department, ...measureCells(e), e.expiredLetters, e.asOf ? asDate(e.asOf) : null]);
    }
    await establishments.finish();
    const departments = tableSheet(
      workbook,
      s.sheets.departments,
      s.sheetTitles.departments,
      [{ header: c.department, width: 24 }, { header: c.establishments, width: 14, format: 'count' }, ...MEASURES],
      summary.target,
    );
    for (const d of summary.byDepartment) departments.add([d.label, d.establishments, ...measureCells(d)]);
    await departments.finish();
  }

  // The call list: the only sheet whose size follows the number of people, streamed a chunk at a time.
  const calls = tableSheet(
    workbook,
    s.sheets.callList,
    s.sheetTitles.callList,
    [
      ...establishmentColumn,
      { header: c.type, width: 9 },
      { header: c.lastName, width: 20 },
      { header: c.firstName, width: 16 },
      { header: c.division, width: 9 },
      { header: c.children, width: 30 },
      { header: c.state, width: 13 },
      { header: c.letterExpired, width: 9 },
      { header: c.email, width: 28 },
      { header: c.emailStatus, width: 13 },
      { header: c.mobile, width: 15 },
      { header: c.mobileStatus, width: 13 },
    ],
    summary.target,
  );
  await hooks.progress?.(done, total);
  for (const list of input.callLists) {
    const prefix = several ? [list.name] : [];
    for (const part of [list.pupils, list.families]) {
      for (const chunk of part.chunks()) {
        for (const r of chunk) {
          const contact = r.emailStatus !== null && r.mobileStatus !== null ? { email: r.emailStatus, mobile: r.mobileStatus } : null;
          calls.add([
            ...prefix,
            s.callKinds[r.kind],
            r.lastName,
            r.firstName,
            r.division,
            r.children.map((child) => (child.division ? `${child.displayName} (${child.division})` : child.displayName)).join(', '),
            STATE_LABELS[r.state],
            r.state === 'notifie' ? (r.letterExpired ? s.yes : s.no) : null,
            contact ? r.email : s.withheldCell,
            contact ? CONTACT_STATUS_LABELS[contact.email] : s.withheldCell,
            contact ? r.mobile : s.withheldCell,
            contact ? CONTACT_STATUS_LABELS[contact.mobile] : s.withheldCell,
          ]);
        }
        done += chunk.length;
        await hooks.progress?.(done, total);
        if (hooks.cancelled?.()) return { cancelled: true };
      }
    }
  }
  await calls.finish();
  await workbook.commit();
  return { cancelled: false };
}

async function writeSummarySheet(workbook: WorkbookWriter, input: WorkbookInput, scopeName: string, exportedAt: string, chart: number): Promise<void> {
  const { summary, evolution } = input;
  const t = s.summaryTable;
  const sheet = workbook.addWorksheet(s.sheets.summary, {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: { ...PAGE_SETUP, printTitlesRow: '1:1' },
    headerFooter: FOOTER,
  });
  sheet.columns = [
    { key: 'a', width: 46 },
    { key: 'b', width: 13, style: { numFmt: COUNT_FORMAT } },
    { key: 'c', width: 13, style: { numFmt: COUNT_FORMAT } },
    { key: 'd', width: 16, style: { numFmt: RATE_FORMAT } },
    { key: 'e', width: 12, style: { numFmt: RATE_FORMAT } },
    { key: 'f', width: 16, style: { numFmt: '+0.0%;-0.0%;0.0%' } },
  ];
  let row = 0;
  const add = (cells: Cell[], style?: 'title' | 'header' | 'bold', formats: Record<number, string> = {}) => {
    const r = sheet.addRow(cells);
    row += 1;
    for (const [column, numFmt] of Object.entries(formats)) r.getCell(Number(column)).numFmt = numFmt;
    if (style === 'title') r.font = { ...TITLE_FONT, size: 15 };
    if (style === 'header') {
      r.font = HEADER_FONT;
      r.fill = HEADER_FILL;
    }
    if (style === 'bold') r.font = { bold: true };
    r.commit();
    return row;
  };
  add([s.title], 'title');
  add([summary.uai === null ? s.establishments(summary.uais.map((u) => input.names.get(u) ?? u).join(', ')) : s.establishment(scopeName)]);
  add([s.asOf(summary.asOf)]);
  add([s.exportedAt(exportedAt)]);
  add([s.target(summary.target)]);
  const withheld = input.callLists.filter((l) => l.contactsWithheld).map((l) => l.name);
  if (withheld.length > 0) add([s.withheld(withheld.join(', '))]);
  add([]);
  const first = add([t.indicator, t.total, t.activated, t.rate, t.target, t.gap], 'header') + 1;
  const line = (label: string, total: number, activated: number) => {
    const r = rate(activated, total);
    add([label, total, activated, r, summary.target, r === null ? null : r - summary.target]);
  };
  line(t.pupils, summary.pupils.total, summary.pupils.activated);
  line(t.guardians, summary.guardians.total, summary.guardians.activated);
  line(t.families, summary.families.total, summary.families.withActivatedGuardian);
  sheet.addConditionalFormatting({ ref: `D${first}:D${row}`, rules: [colourScale(summary.target)] });
  add([]);
  const f = s.followUp;
  add([f.title, f.count], 'header');
  add([f.pupilsNotified, summary.pupils.notified]);
  add([f.guardiansNotified, summary.guardians.notified]);
  add([f.pupilsExpired, summary.pupils.expiredLetters]);
  add([f.guardiansExpired, summary.guardians.expiredLetters]);
  if (evolution.comparison) {
    const cmp = evolution.comparison;
    add([]);
    add([s.comparison(cmp.from.date, cmp.to.date), t.total, t.activated, t.rate], 'header');
    for (const [label, p] of [[cmp.from.date, cmp.from], [cmp.to.date, cmp.to]] as const) {
      add([`${t.pupils} — ${label.split('-').reverse().join('/')}`, p.pupils, p.pupilsActivated, rate(p.pupilsActivated, p.pupils)]);
      add([`${t.guardians} — ${label.split('-').reverse().join('/')}`, p.guardians, p.guardiansActivated, rate(p.guardiansActivated, p.guardians)]);
    }
  }
  add([]);
  add([s.levels], 'bold');
  const levelHeader = add([c.level, c.pupils, c.pupilsActivated, c.pupilsRate, c.guardiansRate, c.familiesRate], 'header');
  for (const l of summary.byLevel) {
    add(
      [l.label, l.pupils, l.pupilsActivated, rate(l.pupilsActivated, l.pupils), rate(l.guardiansActivated, l.guardians), rate(l.familiesWithActivatedGuardian, l.pupils)],
      undefined,
      { 6: RATE_FORMAT },
    );
  }
  if (row > levelHeader) {
    for (const letter of ['D', 'E', 'F']) {
      sheet.addConditionalFormatting({ ref: `${letter}${levelHeader + 1}:${letter}${row}`, rules: [colourScale(summary.target)] });
    }
  }
  add([]);
  addPicture(workbook, sheet, chart, { col: 0, row, width: 720, height: 315, description: input.chartDescription });
  await sheet.commit();
}
