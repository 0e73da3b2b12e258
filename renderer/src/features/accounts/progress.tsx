import { useEffect, useState } from 'react';
import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { AccountFilters } from '../../../../shared/api/methods/accounts';
import { errorMessage, on } from '../../api/client';
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

/** What a bulk call acts on: every row of the list's query, or the ids ticked. */
export const bulkTarget = (selection: { allMatching: boolean; ids: ReadonlySet<string> }, query: { text?: string; filters?: AccountFilters }) =>
  selection.allMatching ? { query: { text: query.text, filters: query.filters } } : { ids: [...selection.ids] };

/**
 * One bulk job at a time: its id while it runs (for the progress bar and "Arrêter"), then its report or its French
 * error. `start` receives the fresh job id; `onDone` runs after a report arrives.
 */
export function useBulkJob<R>(start: (jobId: string) => Promise<R>, onDone: () => void) {
  const [jobId, setJobId] = useState<string | null>(null);
  const [report, setReport] = useState<R | null>(null);
  const [error, setError] = useState<string>();
  const run = async () => {
    const id = newJobId();
    setJobId(id);
    setError(undefined);
    try {
      setReport(await start(id));
      onDone();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setJobId(null);
    }
  };
  const clear = () => {
    setReport(null);
    setError(undefined);
  };
  return { jobId, report, error, run, clear };
}
