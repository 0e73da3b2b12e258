import { useState } from 'react';
import type { AccountFilters } from '../../../../shared/api/methods/accounts';
import { errorMessage } from '../../api/client';
import { newJobId } from '../../components/JobProgress';

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
