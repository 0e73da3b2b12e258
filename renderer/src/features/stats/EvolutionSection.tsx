import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { LineChart } from '@mui/x-charts/LineChart';
import { ChartsReferenceLine } from '@mui/x-charts/ChartsReferenceLine';
import type { StatsEvolution } from '../../../../shared/api/methods/stats';
import { formatRate, rate } from '../../../../shared/domain/stats';
import { useApiQuery } from '../../api/client';
import { statsStrings } from './strings';

const s = statsStrings.evolution;

/** The same colours as the workbook's chart (electron/core/stats/chart.ts). */
const COLOURS = { pupils: '#1f4e79', guardians: '#c55a11', families: '#548235', target: '#c00000' };
const month = new Intl.DateTimeFormat('fr-FR', { month: 'short', timeZone: 'UTC' });
const day = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeZone: 'UTC' });

/** The first day of each month between two dates (the ticks of a long range). */
function monthStarts(first: Date, last: Date): Date[] {
  const out: Date[] = [];
  const d = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + (first.getUTCDate() === 1 ? 0 : 1), 1));
  for (; d <= last; d.setUTCMonth(d.getUTCMonth() + 1)) out.push(new Date(d));
  return out;
}

function Chart({ evolution }: { evolution: StatsEvolution }) {
  const { points } = evolution;
  const dates = points.map((p) => new Date(`${p.date}T00:00:00Z`));
  const months = monthStarts(dates[0]!, dates.at(-1)!);
  const byMonth = months.length >= 2;
  const hasFamilies = points.some((p) => p.familiesWithActivatedGuardian !== null);
  return (
    <Box role="img" aria-label={s.chartLabel(evolution.from!, evolution.to!)} data-testid="stats-evolution-chart">
      <LineChart
        height={320}
        skipAnimation
        xAxis={[
          {
            data: dates,
            scaleType: 'utc',
            tickInterval: byMonth ? months : 'auto',
            valueFormatter: (d: Date, ctx) => (ctx.location === 'tick' && byMonth ? month.format(d) : day.format(d)),
          },
        ]}
        yAxis={[{ min: 0, max: 1, width: 56, valueFormatter: (v: number) => formatRate(v).replace(',0', '') }]}
        series={[
          { id: 'pupils', label: s.pupils, color: COLOURS.pupils, showMark: false, data: points.map((p) => rate(p.pupilsActivated, p.pupils)), valueFormatter: (v) => formatRate(v) },
          { id: 'guardians', label: s.guardians, color: COLOURS.guardians, showMark: false, data: points.map((p) => rate(p.guardiansActivated, p.guardians)), valueFormatter: (v) => formatRate(v) },
          ...(hasFamilies
            ? [{
                id: 'families',
                label: s.families,
                color: COLOURS.families,
                showMark: points.filter((p) => p.familiesWithActivatedGuardian !== null).length === 1,
                data: points.map((p) => (p.familiesWithActivatedGuardian === null ? null : rate(p.familiesWithActivatedGuardian, p.pupils))),
                valueFormatter: (v: number | null) => formatRate(v),
              }]
            : []),
        ]}
        grid={{ horizontal: true }}
      >
        <ChartsReferenceLine y={evolution.target} label={s.target(evolution.target)} labelAlign="end" lineStyle={{ stroke: COLOURS.target, strokeDasharray: '6 4' }} labelStyle={{ fill: COLOURS.target, fontSize: 12 }} />
      </LineChart>
    </Box>
  );
}

/** The line chart of the year, a « du … au … » range and its comparison. */
export function EvolutionSection({ uai, revision }: { uai: string | null; revision: number }) {
  const [range, setRange] = useState<{ from: string; to: string }>({ from: '', to: '' });
  const input = { ...(uai ? { uai } : {}), ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}) };
  const valid = !range.from || !range.to || range.from <= range.to;
  const query = useApiQuery('stats.evolution', valid ? input : { ...(uai ? { uai } : {}) }, [revision]);
  const evolution = query.data;
  const cmp = evolution?.comparison ?? null;
  return (
    <Box component="section" aria-labelledby="stats-evolution-title" sx={{ mb: 4, breakInside: 'avoid' }}>
      <Typography variant="h2" id="stats-evolution-title" sx={{ mb: 1 }}>
        {s.title}
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start', mb: 1 }} className="stats-no-print">
        <TextField
          type="date"
          size="small"
          label={s.from}
          value={range.from || evolution?.from || ''}
          onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'stats-from' } }}
        />
        <TextField
          type="date"
          size="small"
          label={s.to}
          value={range.to || evolution?.to || ''}
          onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))}
          error={!valid}
          helperText={s.rangeHelp}
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'stats-to' } }}
        />
      </Box>
      {query.error && <Alert severity="error">{query.error.message}</Alert>}
      {evolution && evolution.points.length === 0 && <Alert severity="info">{s.empty}</Alert>}
      {evolution && evolution.points.length > 0 && <Chart evolution={evolution} />}
      {cmp && (
        <Box data-testid="stats-comparison" sx={{ mt: 1 }}>
          <Typography sx={{ fontWeight: 700 }}>{s.comparison(cmp.from.date, cmp.to.date)}</Typography>
          <Typography>{s.comparisonPupils(cmp.pupilsRate, cmp.pupilsActivated)}</Typography>
          <Typography>{s.comparisonGuardians(cmp.guardiansRate, cmp.guardiansActivated)}</Typography>
        </Box>
      )}
      {evolution?.points.some((p) => p.source === 'directory') && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>
          {s.sources}
        </Typography>
      )}
    </Box>
  );
}
