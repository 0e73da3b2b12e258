import Alert from '@mui/material/Alert';
import type { SyncRunResult } from '../../../../shared/api/contract';
import { syncStrings as s } from './strings';

type Outcome = { result: SyncRunResult } | { error: string };

/** What the last "Synchroniser maintenant" did, in words; announced without taking focus. */
export function RunSummary({ uai, outcome }: { uai: string; outcome: Outcome }) {
  if ('error' in outcome) {
    return (
      <Alert severity="error" role="status" sx={{ mb: 3 }} data-testid="sync-summary" data-outcome="error">
        {s.summary.failed(outcome.error)}
      </Alert>
    );
  }
  const { outbox, runs } = outcome.result;
  const run = runs.find((r) => r.uai === uai);
  const outboxLine = outbox.sent + outbox.failed > 0 ? s.summary.outbox(outbox.sent, outbox.failed, outbox.pending) : null;
  if (!run) {
    return (
      <Alert severity="warning" role="status" sx={{ mb: 3 }} data-testid="sync-summary" data-outcome="unreachable">
        {s.summary.unreachable} {outboxLine}
      </Alert>
    );
  }
  if (run.outcome !== 'success') {
    return (
      <Alert severity={run.outcome === 'error' ? 'error' : 'warning'} role="status" sx={{ mb: 3 }} data-testid="sync-summary" data-outcome={run.outcome}>
        {run.outcome === 'error' ? s.summary.failed(run.error?.message ?? '') : s.summary.interrupted} {outboxLine}
      </Alert>
    );
  }
  const totals = run.totals?.match === true ? s.summary.totalsMatch : run.totals?.match === false ? s.summary.totalsMismatch : null;
  return (
    <Alert severity="success" role="status" sx={{ mb: 3 }} data-testid="sync-summary" data-outcome="success" data-records={run.recordsApplied}>
      {s.summary.success(run.recordsApplied, run.pages, run.mode)} {run.repaired ? s.summary.repaired : totals} {outboxLine}
    </Alert>
  );
}
