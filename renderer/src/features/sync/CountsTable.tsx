import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import WarningAmberOutlined from '@mui/icons-material/WarningAmberOutlined';
import type { RecordCounts, SyncEstablishmentStatus } from '../../../../shared/api/contract';
import { visuallyHidden } from '../../components/visuallyHidden';
import { syncStrings as s } from './strings';

const RECORD_TYPES: (keyof RecordCounts)[] = ['pupil', 'guardian', 'link', 'account', 'identityChange', 'settings'];

export function CountsTable({ counts }: { counts: SyncEstablishmentStatus['counts'] }) {
  return (
    <Box component="section" aria-labelledby="sync-counts-title" sx={{ mb: 4 }}>
      <Typography variant="h2" id="sync-counts-title" sx={{ mb: 1 }}>
        {s.countsTitle}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2 }} data-testid="sync-counts-checked-at">
        {s.countsCheckedAt(counts.checkedAt)}
      </Typography>
      <TableContainer component={Paper} variant="outlined" sx={{ maxWidth: 720 }}>
        <Table size="small" data-testid="sync-counts" data-match={String(counts.match)}>
          <Box component="caption" sx={visuallyHidden}>
            {s.countsCaption}
          </Box>
          <TableHead>
            <TableRow>
              <TableCell component="th" scope="col">{s.countsColumns.type}</TableCell>
              <TableCell component="th" scope="col" align="right">{s.countsColumns.local}</TableCell>
              <TableCell component="th" scope="col" align="right">{s.countsColumns.directory}</TableCell>
              <TableCell component="th" scope="col">{s.countsColumns.gap}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {RECORD_TYPES.map((type) => {
              const local = counts.local[type];
              const directory = counts.directory?.[type];
              const gap = directory === undefined ? null : local - directory;
              return (
                <TableRow key={type} data-testid={`sync-count-${type}`} data-gap={gap === null ? '' : String(gap)}>
                  <TableCell component="th" scope="row">{s.recordTypes[type]}</TableCell>
                  <TableCell align="right" data-testid="local" data-value={local} sx={{ fontVariantNumeric: 'tabular-nums' }}>
                    {s.formatCount(local)}
                  </TableCell>
                  <TableCell align="right" data-testid="directory" data-value={directory ?? ''} sx={{ fontVariantNumeric: 'tabular-nums' }}>
                    {directory === undefined ? '—' : s.formatCount(directory)}
                  </TableCell>
                  <TableCell>
                    {gap === null ? (
                      s.unknownGap
                    ) : gap === 0 ? (
                      s.noGap
                    ) : (
                      <Chip
                        icon={<WarningAmberOutlined />}
                        label={s.gap(gap)}
                        color="warning"
                        variant="outlined"
                        size="small"
                        data-testid="sync-count-gap"
                      />
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </TableContainer>
    </Box>
  );
}
