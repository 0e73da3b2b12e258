/** The workbook's chart: an SVG drawn from the evolution's points, rasterised by resvg. */
import { describe, expect, it } from 'vitest';
import { evolutionChartSvg, svgToPng } from '../../electron/core/stats/chart';
import type { EvolutionPoint } from '../../shared/api/methods/stats';

const point = (date: string, pupilsActivated: number, families: number | null = null): EvolutionPoint => ({
  date, pupils: 100, pupilsActivated, guardians: 200, guardiansActivated: pupilsActivated * 2, familiesWithActivatedGuardian: families,
  source: families === null ? 'directory' : 'snapshot',
});

describe('evolutionChartSvg', () => {
  it('draws the three rates, the target, French month ticks and an escaped title', () => {
    const points = [point('2026-09-01', 0), point('2026-10-15', 30), point('2026-11-30', 50, 70), point('2026-12-01', 52, 71)];
    const svg = evolutionChartSvg({ title: 'Taux — Collège <Sainte & Marie>', points, target: 0.8 });
    expect(svg).toContain('Collège &lt;Sainte &amp; Marie&gt;');
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(svg).toMatch(/Objectif 80\s%/u);
    for (const month of ['oct.', 'nov.', 'déc.']) expect(svg).toContain(`>${month}<`);
    expect(svg).toContain('Familles (au moins un représentant activé)');
    // Families only from the first snapshot on: its line starts at the third point.
    const families = svg.match(/<path d="([^"]+)" fill="none" stroke="#548235"/)![1]!;
    expect(families.split('L')).toHaveLength(2);
  });

  it('says so when there is no point yet, and shows a lone point as a dot', () => {
    expect(evolutionChartSvg({ title: 'x', points: [], target: 0.8 })).toContain('Pas encore d’évolution');
    const lone = evolutionChartSvg({ title: 'x', points: [point('2026-10-01', 40, 60)], target: 0.8 });
    expect(lone.match(/<circle /g)).toHaveLength(3);
  });

  it('rasterises to a 960-pixel-wide PNG', async () => {
    const png = await svgToPng(evolutionChartSvg({ title: 'x', points: [point('2026-09-01', 0), point('2026-12-01', 50)], target: 0.8 }));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(960);
    expect(png.readUInt32BE(20)).toBe(420);
  });
});
