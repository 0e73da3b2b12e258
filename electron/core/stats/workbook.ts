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
import type { StatsEvolution, StatsGroup, StatsSummary } from '../../../shared/api/methods/stats';
import { CONTACT_STATUS_LABELS, STATE_LABELS } from '../../../shared/domain/accounts';
import { rate } from '../../../shared/domain/stats';
import { loadExcel } from '../exports/excel';
import { statsCoreStrings } from './strings';
import type { CallSheetRow } from './call-list';
import { addPicture, addPng } from './xlsx-picture';

const s = statsCoreStrings.workbook;
const c = s.columns;

type WorkbookWriter = stream.xlsx.WorkbookWriter;
export type Cell = string | number | Date | null;

/** One establishment's call list, read a chunk at a time. */
export interface CallListSource {
  uai: string;
  name: string;
  pupils: { total: number; chunks: () => Iterable<CallSheetRow[]> };
  families: { total: number; chunks: () => Iterable<CallSheetRow[]> };
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

export interface Column {
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

/** A table sheet of the workbook: its columns and its rows, a chunk at a time. */
export interface TableSheetPlan {
  name: string;
  title: string;
  columns: Column[];
  chunks: () => Iterable<Cell[][]>;
  /** The chart's picture beside the table (Évolution). */
  picture?: boolean;
  /** Its rows count in the job's progress (the call list). */
  progress?: boolean;
}

/** One line of the Synthèse sheet. */
export interface SummaryLine {
  cells: Cell[];
  style?: 'title' | 'header' | 'bold';
  /** Number formats by column (1-based) where they differ from the column's. */
  formats?: Record<number, string>;
  /** The colour scale on these columns of this line (rates). */
  scale?: string[];
}

const once = (rows: Cell[][]) => () => [rows];

const callListCells = (r: CallSheetRow, prefix: Cell[]): Cell[] => {
  const contact = r.emailStatus !== null && r.mobileStatus !== null ? { email: r.emailStatus, mobile: r.mobileStatus } : null;
  return [
    ...prefix,
    s.callKinds[r.kind],
    r.lastName,
    r.firstName,
    r.division,
    r.children,
    STATE_LABELS[r.state],
    r.state === 'notifie' ? (r.letterExpired ? s.yes : s.no) : null,
    contact ? r.email : s.withheldCell,
    contact ? CONTACT_STATUS_LABELS[contact.email] : s.withheldCell,
    contact ? r.mobile : s.withheldCell,
    contact ? CONTACT_STATUS_LABELS[contact.mobile] : s.withheldCell,
  ];
};

/** The names shown for the scope: one establishment's "name (UAI)", or "N établissements". */
export function scopeNameOf(input: Pick<WorkbookInput, 'summary' | 'names'>): string {
  const { summary, names } = input;
  return summary.uai === null ? s.several(summary.uais.length) : `${names.get(summary.uai) ?? summary.uai} (${summary.uai})`;
}

/** The table sheets, in order, with their cells (the call list read lazily, a chunk at a time). */
export function tableSheets(input: WorkbookInput): TableSheetPlan[] {
  const { summary, evolution, names } = input;
  const several = summary.uai === null;
  const nameOf = (uai: string) => names.get(uai) ?? uai;
  const establishmentColumn: Column[] = several ? [{ header: c.establishment, width: 28 }] : [];
  const sheets: TableSheetPlan[] = [
    {
      name: s.sheets.classes,
      title: s.sheetTitles.classes,
      columns: [...establishmentColumn, { header: c.division, width: 10 }, { header: c.mef, width: 14 }, ...MEASURES],
      chunks: once(summary.byClass.map((g) => [...(several ? [nameOf(g.uai)] : []), g.division, g.mef, ...measureCells(g)])),
    },
    {
      name: s.sheets.mefs,
      title: s.sheetTitles.mefs,
      columns: [{ header: c.mef, width: 14 }, { header: c.mefLabel, width: 18 }, ...MEASURES],
      chunks: once(summary.byMef.map((g) => [g.mef, g.label, ...measureCells(g)])),
    },
    {
      name: s.sheets.evolution,
      title: s.sheetTitles.evolution,
      columns: [
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
      chunks: once(
        evolution.points.length === 0
          ? [[s.noEvolution]]
          : evolution.points.map((p) => [
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
            ]),
      ),
      picture: true,
    },
  ];
  if (several) {
    sheets.push(
      {
        name: s.sheets.establishments,
        title: s.sheetTitles.establishments,
        columns: [
          { header: c.establishment, width: 30 },
          { header: c.uai, width: 11 },
          { header: c.department, width: 12 },
          ...MEASURES,
          { header: c.expiredLetters, width: 10, format: 'count' },
          { header: c.asOf, width: 12, format: 'date' },
        ],
        chunks: once(summary.byEstablishment.map((e) => [nameOf(e.uai), e.uai, e.department, ...measureCells(e), e.expiredLetters, e.asOf ? asDate(e.asOf) : null])),
      },
      {
        name: s.sheets.departments,
        title: s.sheetTitles.departments,
        columns: [{ header: c.department, width: 24 }, { header: c.establishments, width: 14, format: 'count' }, ...MEASURES],
        chunks: once(summary.byDepartment.map((d) => [d.label, d.establishments, ...measureCells(d)])),
      },
    );
  }
  // The call list: the only sheet whose size follows the number of people, read a chunk at a time.
  sheets.push({
    name: s.sheets.callList,
    title: s.sheetTitles.callList,
    columns: [
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
    chunks: function* () {
      for (const list of input.callLists) {
        const prefix = several ? [list.name] : [];
        for (const part of [list.pupils, list.families]) {
          for (const chunk of part.chunks()) yield chunk.map((r) => callListCells(r, prefix));
        }
      }
    },
    progress: true,
  });
  return sheets;
}

/** The Synthèse sheet, line by line. */
export function summaryLines(input: WorkbookInput): SummaryLine[] {
  const { summary, evolution } = input;
  const t = s.summaryTable;
  const lines: SummaryLine[] = [
    { cells: [s.title], style: 'title' },
    { cells: [summary.uai === null ? s.establishments(summary.uais.map((u) => input.names.get(u) ?? u).join(', ')) : s.establishment(scopeNameOf(input))] },
    { cells: [s.asOf(summary.asOf)] },
    { cells: [s.exportedAt(frenchDateTime(input.exportedAt))] },
    { cells: [s.target(summary.target)] },
  ];
  const withheld = input.callLists.filter((l) => l.contactsWithheld).map((l) => l.name);
  if (withheld.length > 0) lines.push({ cells: [s.withheld(withheld.join(', '))] });
  lines.push({ cells: [] }, { cells: [t.indicator, t.total, t.activated, t.rate, t.target, t.gap], style: 'header' });
  const line = (label: string, total: number, activated: number): SummaryLine => {
    const r = rate(activated, total);
    return { cells: [label, total, activated, r, summary.target, r === null ? null : r - summary.target], scale: ['D'] };
  };
  lines.push(
    line(t.pupils, summary.pupils.total, summary.pupils.activated),
    line(t.guardians, summary.guardians.total, summary.guardians.activated),
    line(t.families, summary.families.total, summary.families.withActivatedGuardian),
  );
  const f = s.followUp;
  lines.push(
    { cells: [] },
    { cells: [f.title, f.count], style: 'header' },
    { cells: [f.pupilsNotified, summary.pupils.notified] },
    { cells: [f.guardiansNotified, summary.guardians.notified] },
    { cells: [f.pupilsExpired, summary.pupils.expiredLetters] },
    { cells: [f.guardiansExpired, summary.guardians.expiredLetters] },
  );
  if (evolution.comparison) {
    const cmp = evolution.comparison;
    lines.push({ cells: [] }, { cells: [s.comparison(cmp.from.date, cmp.to.date), t.total, t.activated, t.rate], style: 'header' });
    for (const p of [cmp.from, cmp.to]) {
      const day = p.date.split('-').reverse().join('/');
      lines.push(
        { cells: [`${t.pupils} — ${day}`, p.pupils, p.pupilsActivated, rate(p.pupilsActivated, p.pupils)] },
        { cells: [`${t.guardians} — ${day}`, p.guardians, p.guardiansActivated, rate(p.guardiansActivated, p.guardians)] },
      );
    }
  }
  lines.push({ cells: [] }, { cells: [s.levels], style: 'bold' }, { cells: [c.level, c.pupils, c.pupilsActivated, c.pupilsRate, c.guardiansRate, c.familiesRate], style: 'header' });
  for (const l of summary.byLevel) {
    lines.push({
      cells: [l.label, l.pupils, l.pupilsActivated, rate(l.pupilsActivated, l.pupils), rate(l.guardiansActivated, l.guardians), rate(l.familiesWithActivatedGuardian, l.pupils)],
      formats: { 6: RATE_FORMAT },
      scale: ['D', 'E', 'F'],
    });
  }
  lines.push({ cells: [] });
  return lines;
}

/** The whole workbook into `out`; stops between chunks of the call list when `cancelled()` (the caller discards it). */
export async function writeStatsWorkbook(out: Writable, input: WorkbookInput, hooks: WorkbookHooks = {}): Promise<{ cancelled: boolean }> {
  const { summary } = input;
  const scopeName = scopeNameOf(input);
  const ExcelJS = await loadExcel();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  Object.assign(workbook, {
    creator: 'EduConnect Desk',
    lastModifiedBy: 'EduConnect Desk',
    created: input.exportedAt,
    modified: input.exportedAt,
    title: `${s.title} — ${scopeName}`,
    subject: s.subject(scopeName),
    keywords: s.keywords,
    description: s.description(summary.asOf, frenchDateTime(input.exportedAt)),
    category: summary.asOf ?? '',
  });
  const total = input.callLists.reduce((n, l) => n + l.pupils.total + l.families.total, 0);
  let done = 0;
  const chart = addPng(workbook, input.chart);
  const picture = { width: 720, height: 315, description: input.chartDescription };

  await writeSummarySheet(workbook, summaryLines(input), summary.target, { ...picture, image: chart });
  for (const plan of tableSheets(input)) {
    const table = tableSheet(workbook, plan.name, plan.title, plan.columns, summary.target);
    if (plan.progress) await hooks.progress?.(done, total);
    for (const chunk of plan.chunks()) {
      for (const cells of chunk) table.add(cells);
      if (!plan.progress) continue;
      done += chunk.length;
      await hooks.progress?.(done, total);
      if (hooks.cancelled?.()) return { cancelled: true };
    }
    if (plan.picture) addPicture(workbook, table.sheet, chart, { ...picture, col: plan.columns.length + 1, row: 1 });
    await table.finish();
  }
  await workbook.commit();
  return { cancelled: false };
}

async function writeSummarySheet(
  workbook: WorkbookWriter,
  lines: SummaryLine[],
  target: number,
  chart: { image: number; width: number; height: number; description: string },
): Promise<void> {
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
  // Consecutive lines scaled on the same columns share one colour scale (a table's rates are compared together).
  let run: { columns: string; from: number; to: number } | null = null;
  const flush = () => {
    if (!run) return;
    for (const column of run.columns.split(',')) sheet.addConditionalFormatting({ ref: `${column}${run.from}:${column}${run.to}`, rules: [colourScale(target)] });
    run = null;
  };
  lines.forEach((line, i) => {
    const number = i + 1;
    const row = sheet.addRow(line.cells);
    for (const [column, numFmt] of Object.entries(line.formats ?? {})) row.getCell(Number(column)).numFmt = numFmt;
    if (line.style === 'title') row.font = { ...TITLE_FONT, size: 15 };
    if (line.style === 'header') {
      row.font = HEADER_FONT;
      row.fill = HEADER_FILL;
    }
    if (line.style === 'bold') row.font = { bold: true };
    row.commit();
    const columns = line.scale?.join(',') ?? null;
    if (run && run.columns === columns) run.to = number;
    else {
      flush();
      if (columns) run = { columns, from: number, to: number };
    }
  });
  flush();
  addPicture(workbook, sheet, chart.image, { col: 0, row: lines.length, width: chart.width, height: chart.height, description: chart.description });
  await sheet.commit();
}
