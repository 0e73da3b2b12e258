import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { SyncHistoryItem } from '../../../../shared/api/contract';
import { visuallyHidden } from '../../components/visuallyHidden';
import { syncStrings as s } from './strings';

function When({ iso }: { iso: string | null }) {
  return iso ? <time dateTime={iso}>{s.formatDateTime(iso)}</time> : <>{s.notEnded}</>;
}

export function HistoryTable({ history }: { history: SyncHistoryItem[] }) {
  const c = s.historyColumns;
  return (
    <Box component="section" aria-labelledby="sync-history-title" sx={{ mb: 4 }}>
      <Typography variant="h2" id="sync-history-title" sx={{ mb: 2 }}>
        {s.historyTitle}
      </Typography>
      {history.length === 0 ? (
        <Typography data-testid="sync-history-empty">{s.historyEmpty}</Typography>
      ) : (
        <TableContainer component={Paper} variant="outlined">
          <Table size="small" data-testid="sync-history">
            <Box component="caption" sx={visuallyHidden}>
              {s.historyCaption}
            </Box>
            <TableHead>
              <TableRow>
                <TableCell component="th" scope="col">{c.start}</TableCell>
                <TableCell component="th" scope="col">{c.end}</TableCell>
                <TableCell component="th" scope="col">{c.mode}</TableCell>
                <TableCell component="th" scope="col">{c.outcome}</TableCell>
                <TableCell component="th" scope="col" align="right">{c.records}</TableCell>
                <TableCell component="th" scope="col">{c.error}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {history.map((run) => (
                <TableRow key={run.id} data-testid="sync-history-row" data-run-id={run.id} data-outcome={run.outcome}>
                  <TableCell component="th" scope="row">
                    <When iso={run.startedAt} />
                  </TableCell>
                  <TableCell>
                    <When iso={run.endedAt} />
                  </TableCell>
                  <TableCell>{s.modes[run.mode]}</TableCell>
                  <TableCell sx={{ fontWeight: run.outcome === 'success' ? 400 : 700 }}>{s.outcomes[run.outcome]}</TableCell>
                  <TableCell align="right" data-value={run.recordsApplied} sx={{ fontVariantNumeric: 'tabular-nums' }}>
                    {s.formatCount(run.recordsApplied)}
                  </TableCell>
                  <TableCell>{run.error?.message ?? run.notes ?? ''}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Box>
  );
}
