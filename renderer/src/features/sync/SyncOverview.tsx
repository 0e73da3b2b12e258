import type { ReactElement } from 'react';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import CheckCircleOutline from '@mui/icons-material/CheckCircleOutline';
import CloudOffOutlined from '@mui/icons-material/CloudOffOutlined';
import ErrorOutline from '@mui/icons-material/ErrorOutline';
import SyncOutlined from '@mui/icons-material/SyncOutlined';
import type { SyncEstablishmentStatus } from '../../../../shared/api/contract';
import type { EffectiveSyncStatus, LiveProgress } from './SyncStatusContext';
import { syncStrings as s } from './strings';
import { CancelJobButton } from '../../components/JobProgress';

const stateView: Record<SyncEstablishmentStatus['state'], { icon: ReactElement; color: 'default' | 'primary' | 'error' | 'warning' }> = {
  idle: { icon: <CheckCircleOutline />, color: 'default' },
  running: { icon: <SyncOutlined />, color: 'primary' },
  error: { icon: <ErrorOutline />, color: 'error' },
  offline: { icon: <CloudOffOutlined />, color: 'warning' },
};

interface SyncOverviewProps {
  name: string;
  current: EffectiveSyncStatus;
  progress: LiveProgress | null;
  intervalMinutes: number;
  nextRunAt: string | null;
}

export function SyncOverview({ name, current, progress, intervalMinutes, nextRunAt }: SyncOverviewProps) {
  const view = stateView[current.state];
  return (
    <Paper variant="outlined" component="section" aria-labelledby="sync-overview-title" sx={{ p: 3, mb: 3 }}>
      <Typography variant="h2" id="sync-overview-title" sx={{ mb: 2 }}>
        {s.overviewTitle(name)}
      </Typography>
      {current.state === 'running' && <RunProgress current={current} progress={progress} />}
      <Box
        component="dl"
        sx={{
          display: 'grid',
          gridTemplateColumns: { xs: '1fr', md: 'minmax(16rem, max-content) 1fr' },
          columnGap: 3,
          rowGap: 1.5,
          m: 0,
          '& dt': { fontWeight: 700 },
          '& dd': { m: 0, overflowWrap: 'anywhere' },
        }}
      >
        <dt>{s.fields.state}</dt>
        <dd>
          <Chip
            icon={view.icon}
            label={s.states[current.state]}
            color={view.color}
            variant="outlined"
            size="small"
            data-testid="sync-state"
            data-state={current.state}
          />
        </dd>
        <dt>{s.fields.phase}</dt>
        <dd data-testid="sync-phase">{current.phase ? s.phases[current.phase] : s.noPhase}</dd>
        <dt>{s.fields.lastSuccess}</dt>
        <dd data-testid="sync-last-success" data-value={current.lastSuccessAt ?? ''}>
          {current.lastSuccessAt ? (
            <time dateTime={current.lastSuccessAt}>{s.formatDateTime(current.lastSuccessAt)}</time>
          ) : (
            s.neverSucceeded
          )}
        </dd>
        <dt>{s.fields.lastError}</dt>
        <dd data-testid="sync-last-error" data-code={current.lastError?.code ?? ''}>
          {current.lastError ? current.lastError.message : s.noError}
        </dd>
        <dt>{s.fields.schedule}</dt>
        <dd data-testid="sync-schedule">{s.schedule(intervalMinutes, nextRunAt)}</dd>
      </Box>
    </Paper>
  );
}

function RunProgress({ current, progress }: { current: EffectiveSyncStatus; progress: LiveProgress | null }) {
  const live = progress && !progress.finished ? progress : null;
  const done = live?.done ?? current.applied ?? 0;
  const total = live?.total ?? null;
  const value = total ? Math.min(100, (done / total) * 100) : undefined;
  const text = s.progress(done, total, current.rate ?? 0);
  return (
    <Box sx={{ mb: 3 }} data-testid="sync-progress">
      {live && (
        <Typography sx={{ mb: 1 }} color="text.secondary">
          {live.label}
        </Typography>
      )}
      <LinearProgress
        variant={value === undefined ? 'indeterminate' : 'determinate'}
        value={value}
        aria-label={s.progressLabel}
        aria-valuetext={text}
        sx={{ height: 8, borderRadius: 1, mb: 1 }}
      />
      <Typography data-testid="sync-progress-text" sx={{ fontVariantNumeric: 'tabular-nums' }}>
        {text}
      </Typography>
      {live && <CancelJobButton jobId={live.jobId} requested={live.cancelRequested} />}
    </Box>
  );
}
