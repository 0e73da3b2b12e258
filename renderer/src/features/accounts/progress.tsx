import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import { on } from '../../api/client';
import { accountsStrings as s } from './strings';

export const newJobId = () => `job-${Date.now()}-${Math.random().toString(36).slice(2)}`;

function useProgress(jobId: string | null): { done: number; total: number } | null {
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  useEffect(() => {
    if (!jobId) return undefined;
    return on('accounts.progress', (p) => {
      if (p.jobId === jobId) setProgress({ done: p.done, total: p.total });
    });
  }, [jobId]);
  return progress;
}

/** The progress of a bulk job or an export, from its accounts.progress events, announced politely. */
export function Progress({ jobId, label }: { jobId: string | null; label: string }) {
  const progress = useProgress(jobId);
  const value = progress && progress.total > 0 ? (100 * progress.done) / progress.total : undefined;
  return (
    <Box sx={{ my: 2 }}>
      <Typography role="status" aria-live="polite" variant="body2">
        {label} {progress ? s.bulk.progress(progress.done, progress.total) : ''}
      </Typography>
      <LinearProgress variant={value === undefined ? 'indeterminate' : 'determinate'} value={value} aria-label={label} />
    </Box>
  );
}
