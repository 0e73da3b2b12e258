import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import ErrorOutline from '@mui/icons-material/ErrorOutline';
import SyncProblemOutlined from '@mui/icons-material/SyncProblemOutlined';
import type { OutboxItem } from '../../../../shared/api/contract';
import { call, errorMessage, useApiQuery } from '../../api/client';
import { PendingBadge } from '../../components/PendingBadge';
import { visuallyHidden } from '../../components/visuallyHidden';
import { syncStrings as s } from './strings';

const OPEN_STATES: OutboxItem['state'][] = ['pending', 'in_flight', 'failed', 'conflict'];

interface OutboxSectionProps {
  uai: string;
  /** Re-read the list when this changes (the core announced an outbox change). */
  revision: number;
  onChanged: () => void;
}

/** Local changes not yet confirmed by the directory; refused ones can be sent again or abandoned. */
export function OutboxSection({ uai, revision, onChanged }: OutboxSectionProps) {
  const { data, error } = useApiQuery('outbox.list', { uai, states: OPEN_STATES }, [revision]);
  const [confirming, setConfirming] = useState<OutboxItem | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [actionError, setActionError] = useState<string>();

  const act = async (item: OutboxItem, action: 'outbox.retry' | 'outbox.discard') => {
    setBusy(item.id);
    setActionError(undefined);
    try {
      await call(action, { id: item.id });
    } catch (caught) {
      setActionError(s.actionFailed(errorMessage(caught)));
    } finally {
      setBusy(null);
      onChanged();
    }
  };

  const c = s.outboxColumns;
  return (
    <Box component="section" aria-labelledby="sync-outbox-title" sx={{ mb: 4 }}>
      <Typography variant="h2" id="sync-outbox-title" sx={{ mb: 1 }}>
        {s.outboxTitle}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2, maxWidth: '70ch' }}>
        {s.outboxIntro}
      </Typography>
      {(actionError ?? error) && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {actionError ?? error?.message}
        </Alert>
      )}
      {data && data.length === 0 && <Typography data-testid="outbox-empty">{s.outboxEmpty}</Typography>}
      {data && data.length > 0 && (
        <TableContainer component={Paper} variant="outlined">
          <Table size="small" data-testid="outbox">
            <Box component="caption" sx={visuallyHidden}>
              {s.outboxCaption}
            </Box>
            <TableHead>
              <TableRow>
                <TableCell component="th" scope="col">{c.change}</TableCell>
                <TableCell component="th" scope="col">{c.target}</TableCell>
                <TableCell component="th" scope="col">{c.state}</TableCell>
                <TableCell component="th" scope="col">{c.created}</TableCell>
                <TableCell component="th" scope="col">{c.actions}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {data.map((item) => {
                const label = s.kind(item);
                const refused = item.state === 'failed' || item.state === 'conflict';
                return (
                  <TableRow key={item.id} data-testid={`outbox-item-${item.id}`} data-state={item.state}>
                    <TableCell component="th" scope="row">{label}</TableCell>
                    <TableCell>
                      <code>{s.target(item)}</code>
                    </TableCell>
                    <TableCell>
                      {refused ? (
                        <>
                          <Chip
                            icon={item.state === 'failed' ? <ErrorOutline /> : <SyncProblemOutlined />}
                            label={s.outboxStates[item.state as 'failed' | 'conflict']}
                            color={item.state === 'failed' ? 'error' : 'warning'}
                            variant="outlined"
                            size="small"
                          />
                          {item.lastError && (
                            <Typography sx={{ mt: 0.5, fontSize: '0.875rem' }} data-testid="outbox-error">
                              {item.lastError}
                            </Typography>
                          )}
                          <Typography color="text.secondary" sx={{ fontSize: '0.8125rem' }}>
                            {s.attempts(item.attempts)}
                          </Typography>
                        </>
                      ) : (
                        <PendingBadge />
                      )}
                    </TableCell>
                    <TableCell>
                      <time dateTime={item.createdAt}>{s.formatDateTime(item.createdAt)}</time>
                    </TableCell>
                    <TableCell>
                      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
                        {refused && (
                          <Button
                            size="small"
                            variant="outlined"
                            disabled={busy === item.id}
                            aria-label={s.retryFor(label)}
                            onClick={() => void act(item, 'outbox.retry')}
                          >
                            {s.retry}
                          </Button>
                        )}
                        {item.state !== 'in_flight' && (
                          <Button
                            size="small"
                            variant="outlined"
                            color="error"
                            disabled={busy === item.id}
                            aria-label={s.discardFor(label)}
                            onClick={() => setConfirming(item)}
                          >
                            {s.discard}
                          </Button>
                        )}
                      </Box>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      <Dialog
        open={confirming !== null}
        onClose={() => setConfirming(null)}
        aria-labelledby="outbox-discard-title"
        aria-describedby="outbox-discard-body"
      >
        <DialogTitle id="outbox-discard-title">{s.discardDialog.title}</DialogTitle>
        <DialogContent>
          <DialogContentText id="outbox-discard-body">{s.discardDialog.body}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button autoFocus onClick={() => setConfirming(null)}>
            {s.discardDialog.cancel}
          </Button>
          <Button
            color="error"
            variant="contained"
            onClick={() => {
              const item = confirming;
              setConfirming(null);
              if (item) void act(item, 'outbox.discard');
            }}
          >
            {s.discardDialog.confirm}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
