/**
 * The progress of one long task (a job of the core: bulk action, password reset, export, sync, letters, statistics,
 * import) with its « Arrêter » button: one component for every long task, fed by the single `job.progress` event and
 * stopped by the single `jobs.cancel` method. The counts are announced politely to screen readers.
 */
import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { JobInfo } from '../../../shared/api/contract';
import { call, errorMessage, on } from '../api/client';
import { componentStrings } from './strings';

const s = componentStrings.job;

/** A fresh id for a job the renderer starts (so that it can be cancelled before the core's first answer). */
export const newJobId = (): string => `job-${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** The latest progress of one job, from its `job.progress` events (null until the first one). */
export function useJobProgress(jobId: string | null): JobInfo | null {
  const [info, setInfo] = useState<JobInfo | null>(null);
  useEffect(() => {
    if (!jobId) return undefined;
    return on('job.progress', (payload) => {
      if (payload.jobId === jobId) setInfo(payload);
    });
  }, [jobId]);
  // A previous job's last event is not this one's progress.
  return info?.jobId === jobId ? info : null;
}

export interface JobProgressProps {
  jobId: string;
  /** What the user started, in their words; the core's own label is used otherwise. */
  label?: string;
  /** Shows « Arrêter » (default true). */
  cancellable?: boolean;
}

export function JobProgress({ jobId, label, cancellable = true }: JobProgressProps) {
  const info = useJobProgress(jobId);
  const title = label ?? info?.label ?? s.starting;
  const value = info && info.total ? Math.min(100, (100 * info.done) / info.total) : undefined;
  return (
    <Box sx={{ my: 2 }} data-testid="job-progress">
      <Typography role="status" aria-live="polite" variant="body2">
        {title} {info ? s.counts(info.done, info.total) : ''}
        {info?.cancelRequested ? ` — ${s.cancelling}` : ''}
      </Typography>
      <LinearProgress variant={value === undefined ? 'indeterminate' : 'determinate'} value={value} aria-label={title} sx={{ my: 1 }} />
      {cancellable && <CancelJobButton jobId={jobId} requested={info?.cancelRequested === true} />}
    </Box>
  );
}

/** « Arrêter »: asks the core to stop the job after its current step (what is done stays done). */
export function CancelJobButton({ jobId, requested }: { jobId: string; requested: boolean }) {
  const [error, setError] = useState<string | null>(null);
  const cancel = () => {
    setError(null);
    call('jobs.cancel', { jobId }).catch((caught: unknown) => setError(s.cancelFailed(errorMessage(caught))));
  };
  return (
    <>
      <Button onClick={cancel} disabled={requested} data-testid="job-cancel">
        {s.cancel}
      </Button>
      {error && <Alert severity="error">{error}</Alert>}
    </>
  );
}
