/**
 * The evolution chart as the workbook shows it: an SVG drawn here from the same points as the dashboard's chart
 * (pupils, legal guardians and families activated, the target line), rasterised to PNG by resvg (loaded on first use,
 * rendered off the event loop). Drawn in the core, so that a script calling stats.exportXlsx gets the same picture.
 */
import type * as ResvgNamespace from '@resvg/resvg-js';
import type { EvolutionPoint } from '../../../shared/api/methods/stats';
import { rate } from '../../../shared/domain/stats';
import { statsCoreStrings as s } from './strings';

export const CHART_SIZE = { width: 960, height: 420 };

/** The series' colours (the dashboard uses the same). */
export const SERIES_COLOURS = { pupils: '#1f4e79', guardians: '#c55a11', families: '#548235', target: '#c00000' } as const;

const MARGIN = { left: 60, right: 28, top: 64, bottom: 44 };
const FONT = "DejaVu Sans, Arial, Helvetica, 'Liberation Sans', sans-serif";

const escapeXml = (text: string): string =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);

const DAY_MS = 86_400_000;
const dayNumber = (date: string): number => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const monthLabel = new Intl.DateTimeFormat('fr-FR', { month: 'short', timeZone: 'UTC' });
const shortDate = new Intl.DateTimeFormat('fr-FR', { day: '2-digit', month: '2-digit', timeZone: 'UTC' });

/** The first day of each month in [from, to], as "YYYY-MM-01". */
function monthStarts(from: string, to: string): string[] {
  const out: string[] = [];
  let year = Number(from.slice(0, 4));
  let month = Number(from.slice(5, 7));
  if (from.slice(8) !== '01') month += 1;
  for (;;) {
    if (month > 12) {
      month = 1;
      year += 1;
    }
    const date = `${year}-${String(month).padStart(2, '0')}-01`;
    if (date > to) return out;
    out.push(date);
    month += 1;
  }
}

export interface ChartInput {
  title: string;
  points: readonly EvolutionPoint[];
  target: number;
}

/** The chart as SVG text (fixed size, French labels, no external resource). */
export function evolutionChartSvg({ title, points, target }: ChartInput): string {
  const { width, height } = CHART_SIZE;
  const plot = { x: MARGIN.left, y: MARGIN.top, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
  const first = points[0]?.date;
  const last = points.at(-1)?.date;
  const start = first ? dayNumber(first) : 0;
  const span = first && last ? Math.max(1, dayNumber(last) - start) : 1;
  const x = (date: string) => plot.x + ((dayNumber(date) - start) / span) * plot.w;
  const y = (value: number) => plot.y + plot.h - value * plot.h;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold" fill="#222222">${escapeXml(title)}</text>`,
  ];
  // Horizontal grid and the percentage scale.
  for (let v = 0; v <= 1.0001; v += 0.2) {
    parts.push(
      `<line x1="${plot.x}" y1="${y(v).toFixed(1)}" x2="${plot.x + plot.w}" y2="${y(v).toFixed(1)}" stroke="#d9d9d9" stroke-width="1"/>`,
      `<text x="${plot.x - 8}" y="${(y(v) + 4).toFixed(1)}" font-size="12" text-anchor="end" fill="#444444">${Math.round(v * 100)} %</text>`,
    );
  }
  // Dates: the first of each month, or the two ends on a short range.
  if (first && last) {
    const months = monthStarts(first, last);
    const ticks = months.length >= 2 ? months.map((d) => [d, monthLabel.format(new Date(`${d}T00:00:00Z`))]) : [first, last].map((d) => [d, shortDate.format(new Date(`${d}T00:00:00Z`))]);
    for (const [date, label] of ticks) {
      const tx = x(date!).toFixed(1);
      parts.push(
        `<line x1="${tx}" y1="${plot.y + plot.h}" x2="${tx}" y2="${plot.y + plot.h + 5}" stroke="#444444"/>`,
        `<text x="${tx}" y="${plot.y + plot.h + 20}" font-size="12" text-anchor="middle" fill="#444444">${escapeXml(label!)}</text>`,
      );
    }
  }
  parts.push(`<line x1="${plot.x}" y1="${plot.y + plot.h}" x2="${plot.x + plot.w}" y2="${plot.y + plot.h}" stroke="#444444"/>`);
  // The target.
  parts.push(
    `<line x1="${plot.x}" y1="${y(target).toFixed(1)}" x2="${plot.x + plot.w}" y2="${y(target).toFixed(1)}" stroke="${SERIES_COLOURS.target}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    `<text x="${plot.x + plot.w - 4}" y="${(y(target) - 6).toFixed(1)}" font-size="12" text-anchor="end" fill="${SERIES_COLOURS.target}">${escapeXml(s.chart.target(target))}</text>`,
  );
  // The three rates; a day without a value (families before the first snapshot) breaks the line.
  const series: [keyof typeof SERIES_COLOURS, string, (p: EvolutionPoint) => number | null][] = [
    ['pupils', s.chart.pupils, (p) => rate(p.pupilsActivated, p.pupils)],
    ['guardians', s.chart.guardians, (p) => rate(p.guardiansActivated, p.guardians)],
    ['families', s.chart.families, (p) => (p.familiesWithActivatedGuardian === null ? null : rate(p.familiesWithActivatedGuardian, p.pupils))],
  ];
  for (const [key, , value] of series) {
    let path = '';
    let pen = false;
    for (const p of points) {
      const v = value(p);
      if (v === null) {
        pen = false;
        continue;
      }
      path += `${pen ? 'L' : 'M'}${x(p.date).toFixed(1)} ${y(v).toFixed(1)} `;
      pen = true;
    }
    if (path) parts.push(`<path d="${path.trim()}" fill="none" stroke="${SERIES_COLOURS[key]}" stroke-width="2.5" stroke-linejoin="round"/>`);
    // A lone point (a single snapshot) is still visible.
    if (points.filter((p) => value(p) !== null).length === 1) {
      const p = points.find((q) => value(q) !== null)!;
      parts.push(`<circle cx="${x(p.date).toFixed(1)}" cy="${y(value(p)!).toFixed(1)}" r="4" fill="${SERIES_COLOURS[key]}"/>`);
    }
  }
  // Legend.
  let lx = MARGIN.left;
  for (const [key, label] of series) {
    parts.push(
      `<rect x="${lx}" y="38" width="14" height="4" fill="${SERIES_COLOURS[key]}"/>`,
      `<text x="${lx + 20}" y="44" font-size="12" fill="#222222">${escapeXml(label)}</text>`,
    );
    lx += 28 + label.length * 7;
  }
  if (points.length === 0) {
    parts.push(`<text x="${width / 2}" y="${plot.y + plot.h / 2}" font-size="14" text-anchor="middle" fill="#666666">${escapeXml(s.chart.empty)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

type Resvg = typeof ResvgNamespace;
let loading: Promise<Resvg> | undefined;

/** The SVG as PNG, rendered on libuv's thread pool (the event loop keeps turning). */
export async function svgToPng(svg: string): Promise<Buffer> {
  loading ??= import('@resvg/resvg-js').then((m) => ((m as { default?: Resvg }).default ?? m) as Resvg);
  const { renderAsync } = await loading;
  const image = await renderAsync(svg, { fitTo: { mode: 'width', value: CHART_SIZE.width }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, background: '#ffffff' });
  return image.asPng();
}
