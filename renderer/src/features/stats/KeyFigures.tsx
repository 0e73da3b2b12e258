import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { StatsSummary } from '../../../../shared/api/methods/stats';
import { formatRate, rate } from '../../../../shared/domain/stats';
import { statsStrings } from './strings';

const s = statsStrings.figures;

/** One key rate: the percentage, "n sur N", a bar with the target marked, and the gap to the target. */
function RateCard({ label, activated, total, target, testId }: { label: string; activated: number; total: number; target: number; testId: string }) {
  const value = rate(activated, total);
  return (
    <Paper variant="outlined" component="section" aria-label={label} sx={{ p: 2, flex: '1 1 220px', minWidth: 220, breakInside: 'avoid' }} data-testid={testId}>
      <Typography variant="body2" color="text.secondary" component="h3">
        {label}
      </Typography>
      <Typography sx={{ fontSize: '2rem', fontWeight: 700, lineHeight: 1.3 }} data-testid={`${testId}-rate`}>
        {formatRate(value)}
      </Typography>
      <Typography variant="body2" data-testid={`${testId}-counts`}>
        {s.outOf(activated, total)}
      </Typography>
      <Box sx={{ position: 'relative', my: 1 }} aria-hidden>
        <LinearProgress variant="determinate" value={(value ?? 0) * 100} sx={{ height: 8, borderRadius: 1 }} />
        <Box sx={{ position: 'absolute', top: -3, bottom: -3, left: `${target * 100}%`, width: 2, bgcolor: 'error.main' }} />
      </Box>
      <Typography variant="body2" color={value !== null && value >= target ? 'success.main' : 'text.secondary'}>
        {s.gap(value, target)}
      </Typography>
    </Paper>
  );
}

/** The three rates of seed 002's tables and what to follow up: notified but not activated, letters expired. */
export function KeyFigures({ summary }: { summary: StatsSummary }) {
  const followUp: [string, number, string][] = [
    [s.pupilsNotified, summary.pupils.notified, 'pupils-notified'],
    [s.guardiansNotified, summary.guardians.notified, 'guardians-notified'],
    [s.expiredLetters, summary.pupils.expiredLetters + summary.guardians.expiredLetters, 'expired-letters'],
  ];
  return (
    <Box component="section" aria-labelledby="stats-figures-title" sx={{ mb: 4 }}>
      <Typography variant="h2" id="stats-figures-title" sx={{ mb: 2 }}>
        {s.title}
      </Typography>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        <RateCard label={s.pupils} activated={summary.pupils.activated} total={summary.pupils.total} target={summary.target} testId="stats-pupils" />
        <RateCard label={s.guardians} activated={summary.guardians.activated} total={summary.guardians.total} target={summary.target} testId="stats-guardians" />
        <RateCard label={s.families} activated={summary.families.withActivatedGuardian} total={summary.families.total} target={summary.target} testId="stats-families" />
      </Box>
      <Typography variant="h3" sx={{ mt: 3, mb: 1, fontSize: '1.1rem' }}>
        {s.followUp}
      </Typography>
      <Box component="dl" sx={{ display: 'flex', gap: 4, flexWrap: 'wrap', m: 0 }}>
        {followUp.map(([label, value, testId]) => (
          <Box key={testId} sx={{ m: 0 }}>
            <Typography component="dt" variant="body2" color="text.secondary">
              {label}
            </Typography>
            <Typography component="dd" sx={{ m: 0, fontSize: '1.4rem', fontWeight: 700 }} data-testid={testId}>
              {value.toLocaleString('fr-FR')}
            </Typography>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
