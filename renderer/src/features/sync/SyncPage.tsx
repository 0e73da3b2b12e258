import { useState } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import SchoolOutlined from '@mui/icons-material/SchoolOutlined';
import SyncOutlined from '@mui/icons-material/SyncOutlined';
import type { SyncRunResult } from '../../../../shared/api/contract';
import { call, errorMessage } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { Page } from '../../components/Page';
import { useEstablishment } from '../establishments/EstablishmentContext';
import { CountsTable } from './CountsTable';
import { HistoryTable } from './HistoryTable';
import { OutboxSection } from './OutboxSection';
import { RunSummary } from './RunSummary';
import { SyncOverview } from './SyncOverview';
import { useSyncStatus } from './SyncStatusContext';
import { syncStrings as s } from './strings';

type RunOutcome = { uai: string; result: SyncRunResult } | { uai: string; error: string };

/** The current establishment's sync: state and progress, counts, history, and the outbox. */
export function SyncPage() {
  const { uai, establishment, loading: establishmentsLoading } = useEstablishment();
  const sync = useSyncStatus();
  const current = sync.establishment(uai);
  const [startedFor, setStartedFor] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<RunOutcome | null>(null);

  const requesting = startedFor !== null && startedFor === uai;
  const running = requesting || current?.state === 'running';

  const runNow = async () => {
    if (!uai) return;
    setStartedFor(uai);
    setOutcome(null);
    try {
      const result = await call('sync.run', { uai });
      setOutcome({ uai, result });
    } catch (error) {
      setOutcome({ uai, error: errorMessage(error) });
    } finally {
      setStartedFor(null);
      sync.refresh();
    }
  };

  const runButton = uai && (
    <Button
      variant="contained"
      startIcon={running ? <CircularProgress size={18} color="inherit" aria-hidden /> : <SyncOutlined />}
      onClick={() => void runNow()}
      disabled={running}
      data-testid="sync-run"
    >
      {running ? s.running : s.runNow}
    </Button>
  );

  const name = establishment?.name ?? current?.name ?? uai ?? '';
  return (
    <Page title={s.title} intro={s.intro} actions={runButton}>
      {sync.error && !sync.status && (
        <Alert
          severity="error"
          sx={{ mb: 3 }}
          action={
            <Button color="inherit" variant="outlined" size="small" onClick={sync.refresh}>
              {s.retry}
            </Button>
          }
        >
          <AlertTitle>{s.loadErrorTitle}</AlertTitle>
          {sync.error.message}
        </Alert>
      )}
      {!uai && !establishmentsLoading && (
        <EmptyState
          icon={<SchoolOutlined />}
          title={s.noEstablishment.title}
          body={s.noEstablishment.body}
          action={{ label: s.noEstablishment.action, to: '/etat' }}
        />
      )}
      {uai && outcome?.uai === uai && <RunSummary uai={uai} outcome={outcome} />}
      {uai && !current && !sync.error && (
        <Box sx={{ display: 'flex', justifyContent: 'center', py: 6 }}>
          <CircularProgress aria-label={s.loading} />
        </Box>
      )}
      {uai && current && sync.status && (
        <>
          <SyncOverview
            name={name}
            current={current}
            progress={sync.progress(uai)}
            intervalMinutes={sync.status.intervalMinutes}
            nextRunAt={sync.status.nextRunAt}
          />
          <CountsTable counts={current.counts} />
          <HistoryTable history={sync.status.history.filter((run) => run.uai === uai)} />
          <OutboxSection uai={uai} revision={sync.revision} onChanged={sync.refresh} />
        </>
      )}
    </Page>
  );
}
