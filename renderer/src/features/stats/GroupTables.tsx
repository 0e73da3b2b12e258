import { useState } from 'react';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import type { StatsGroup, StatsSummary } from '../../../../shared/api/methods/stats';
import { formatRate, rate } from '../../../../shared/domain/stats';
import { statsStrings } from './strings';

const s = statsStrings.tables;
const c = s.columns;

interface Row {
  key: string;
  /** The first cells (names), before the measures. */
  cells: string[];
  group: StatsGroup;
}

/** A rate cell: "54,3 % (52/96)", coloured below the target. */
function RateCell({ activated, total, target, testId }: { activated: number; total: number; target: number; testId?: string }) {
  const value = rate(activated, total);
  return (
    <TableCell align="right" data-testid={testId} sx={{ color: value !== null && value < target ? 'error.dark' : undefined, whiteSpace: 'nowrap' }}>
      {value === null ? '—' : s.rate(formatRate(value), activated, total)}
    </TableCell>
  );
}

function GroupTable({ caption, heads, rows, target, testId }: { caption: string; heads: string[]; rows: Row[]; target: number; testId: string }) {
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ mb: 2 }}>
      <Table size="small" data-testid={testId}>
        <caption style={{ captionSide: 'top', textAlign: 'left', padding: '8px 16px' }}>{caption}</caption>
        <TableHead>
          <TableRow>
            {heads.map((h) => (
              <TableCell key={h} component="th" scope="col">
                {h}
              </TableCell>
            ))}
            <TableCell component="th" scope="col" align="right">{c.pupils}</TableCell>
            <TableCell component="th" scope="col" align="right">{c.pupilsRate}</TableCell>
            <TableCell component="th" scope="col" align="right">{c.guardiansRate}</TableCell>
            <TableCell component="th" scope="col" align="right">{c.familiesRate}</TableCell>
            <TableCell component="th" scope="col" align="right">{c.notified}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.key} data-key={r.key}>
              {r.cells.map((cell, i) =>
                i === 0 ? (
                  <TableCell key={i} component="th" scope="row">
                    {cell}
                  </TableCell>
                ) : (
                  <TableCell key={i}>{cell}</TableCell>
                ),
              )}
              <TableCell align="right">{r.group.pupils.toLocaleString('fr-FR')}</TableCell>
              <RateCell activated={r.group.pupilsActivated} total={r.group.pupils} target={target} testId="rate-pupils" />
              <RateCell activated={r.group.guardiansActivated} total={r.group.guardians} target={target} testId="rate-guardians" />
              <RateCell activated={r.group.familiesWithActivatedGuardian} total={r.group.pupils} target={target} testId="rate-families" />
              <TableCell align="right">{(r.group.pupilsNotified + r.group.guardiansNotified).toLocaleString('fr-FR')}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}

type TabKey = 'classes' | 'mefs' | 'establishments' | 'departments';

/** By level always; by class, MEF and, with several establishments, establishment and department in tabs. */
export function GroupTables({ summary, names }: { summary: StatsSummary; names: ReadonlyMap<string, string> }) {
  const several = summary.uai === null;
  const [tab, setTab] = useState<TabKey>(several ? 'establishments' : 'classes');
  const levels: Row[] = summary.byLevel.map((l) => ({ key: l.level, cells: [l.label], group: l }));
  const tabs: { key: TabKey; label: string; heads: string[]; rows: Row[] }[] = [
    ...(several
      ? [
          {
            key: 'establishments' as const,
            label: s.establishments,
            heads: [c.establishment, c.department],
            rows: summary.byEstablishment.map((e) => ({ key: e.uai, cells: [`${e.name ?? e.uai} (${e.uai})`, e.department], group: e })),
          },
          {
            key: 'departments' as const,
            label: s.departments,
            heads: [c.department, c.establishments],
            rows: summary.byDepartment.map((d) => ({ key: d.department, cells: [d.label, String(d.establishments)], group: d })),
          },
        ]
      : []),
    {
      key: 'classes',
      label: s.classes,
      heads: several ? [c.division, c.establishment, c.mef] : [c.division, c.mef],
      rows: summary.byClass.map((k) => ({
        key: `${k.uai}:${k.division}`,
        cells: several ? [k.division, names.get(k.uai) ?? k.uai, k.mef ?? ''] : [k.division, k.mef ?? ''],
        group: k,
      })),
    },
    {
      key: 'mefs',
      label: s.mefs,
      heads: [c.mef],
      rows: summary.byMef.map((m) => ({ key: m.mef, cells: [m.label ? `${m.label} (${m.mef})` : m.mef], group: m })),
    },
  ];
  const current = tabs.find((t) => t.key === tab) ?? tabs[0]!;
  return (
    <Box component="section" aria-labelledby="stats-levels-title" sx={{ mb: 4 }}>
      <Typography variant="h2" id="stats-levels-title" sx={{ mb: 1 }}>
        {s.levels}
      </Typography>
      <GroupTable caption={s.caption(s.levels)} heads={[c.level]} rows={levels} target={summary.target} testId="stats-levels" />
      <Tabs value={current.key} onChange={(_, next: TabKey) => setTab(next)} aria-label={s.tabsLabel} className="stats-no-print" sx={{ mb: 1 }}>
        {tabs.map((t) => (
          <Tab key={t.key} value={t.key} label={t.label} id={`stats-tab-${t.key}`} aria-controls="stats-tabpanel" />
        ))}
      </Tabs>
      <Box role="tabpanel" id="stats-tabpanel" aria-labelledby={`stats-tab-${current.key}`}>
        <GroupTable caption={s.caption(current.label)} heads={current.heads} rows={current.rows} target={summary.target} testId={`stats-${current.key}`} />
      </Box>
      {/* The print view has every table, not only the tab shown on screen. */}
      {tabs
        .filter((t) => t.key !== current.key)
        .map((t) => (
          <Box key={t.key} className="stats-print-only">
            <GroupTable caption={s.caption(t.label)} heads={t.heads} rows={t.rows} target={summary.target} testId={`stats-print-${t.key}`} />
          </Box>
        ))}
    </Box>
  );
}
