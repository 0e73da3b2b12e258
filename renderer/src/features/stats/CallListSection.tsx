import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Paper from '@mui/material/Paper';
import Tab from '@mui/material/Tab';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TablePagination from '@mui/material/TablePagination';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import type { CallListKind, CallListRow } from '../../../../shared/api/methods/stats';
import { CONTACT_STATUS_LABELS, STATE_LABELS } from '../../../../shared/domain/accounts';
import { useApiQuery } from '../../api/client';
import { statsStrings } from './strings';

const s = statsStrings.callList;
const c = s.columns;

type SortField = 'division' | 'name';

function Contact({ value, status }: { value: string | null; status: CallListRow['emailStatus'] }) {
  if (status === null) return <>{s.withheldCell}</>;
  return (
    <>
      {value ?? '—'}
      {value && (
        <Typography component="span" variant="body2" color={status === 'confirmed' ? 'success.main' : 'text.secondary'} sx={{ display: 'block' }}>
          {CONTACT_STATUS_LABELS[status]}
        </Typography>
      )}
    </>
  );
}

/** « À relancer »: pupils and families not activated, by class (or name), a page at a time. */
export function CallListSection({ uai, revision }: { uai: string; revision: number }) {
  const [kind, setKind] = useState<CallListKind>('pupil');
  const [sort, setSort] = useState<{ field: SortField; direction: 'asc' | 'desc' }>({ field: 'division', direction: 'asc' });
  const [page, setPage] = useState(0);
  const [rowsPerPage, setRowsPerPage] = useState(25);
  const query = useApiQuery('stats.callList', { uai, kind, sort, offset: page * rowsPerPage, limit: rowsPerPage }, [revision]);
  const list = query.data;
  const toggle = (field: SortField) => {
    setSort((current) => ({ field, direction: current.field === field && current.direction === 'asc' ? 'desc' : 'asc' }));
    setPage(0);
  };
  const head = (field: SortField, label: string) => (
    <TableCell component="th" scope="col" sortDirection={sort.field === field ? sort.direction : false}>
      <TableSortLabel active={sort.field === field} direction={sort.field === field ? sort.direction : 'asc'} onClick={() => toggle(field)}>
        {label}
      </TableSortLabel>
    </TableCell>
  );
  return (
    <Box component="section" aria-labelledby="stats-calls-title" sx={{ mb: 4 }} className="stats-no-print">
      <Typography variant="h2" id="stats-calls-title" sx={{ mb: 1 }}>
        {s.title}
      </Typography>
      <Typography color="text.secondary" sx={{ mb: 2, maxWidth: '80ch' }}>
        {s.intro}
      </Typography>
      <Tabs
        value={kind}
        onChange={(_, next: CallListKind) => {
          setKind(next);
          setPage(0);
        }}
        aria-label={s.tabsLabel}
        sx={{ mb: 1 }}
      >
        <Tab value="pupil" label={s.tabs.pupil} id="stats-calls-tab-pupil" aria-controls="stats-calls-panel" />
        <Tab value="family" label={s.tabs.family} id="stats-calls-tab-family" aria-controls="stats-calls-panel" />
      </Tabs>
      <Box role="tabpanel" id="stats-calls-panel" aria-labelledby={`stats-calls-tab-${kind}`}>
        {list?.contactsWithheld && (
          <Alert severity="info" sx={{ mb: 2 }} data-testid="stats-contacts-withheld">
            {s.withheld}
          </Alert>
        )}
        {query.error && <Alert severity="error">{query.error.message}</Alert>}
        <Typography role="status" sx={{ mb: 1 }} data-testid="stats-calls-count">
          {list ? s.count(list.total) : ''}
        </Typography>
        <TableContainer component={Paper} variant="outlined">
          <Table size="small" data-testid="stats-calls">
            <TableHead>
              <TableRow>
                {head('name', c.name)}
                {head('division', c.division)}
                {kind === 'family' && <TableCell component="th" scope="col">{c.children}</TableCell>}
                <TableCell component="th" scope="col">{c.state}</TableCell>
                <TableCell component="th" scope="col">{c.letter}</TableCell>
                <TableCell component="th" scope="col">{c.email}</TableCell>
                <TableCell component="th" scope="col">{c.mobile}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {list?.rows.map((r) => (
                <TableRow key={r.id} data-id={r.id}>
                  <TableCell component="th" scope="row">{r.displayName}</TableCell>
                  <TableCell>{r.division ?? '—'}</TableCell>
                  {kind === 'family' && (
                    <TableCell>{r.children.map((child) => (child.division ? `${child.displayName} (${child.division})` : child.displayName)).join(', ')}</TableCell>
                  )}
                  <TableCell>{STATE_LABELS[r.state]}</TableCell>
                  <TableCell>{r.state === 'notifie' ? (r.letterExpired ? s.letterExpired : s.letterValid) : '—'}</TableCell>
                  <TableCell><Contact value={r.email} status={r.emailStatus} /></TableCell>
                  <TableCell><Contact value={r.mobile} status={r.mobileStatus} /></TableCell>
                </TableRow>
              ))}
              {list && list.rows.length === 0 && (
                <TableRow>
                  <TableCell colSpan={7}>{s.none}</TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </TableContainer>
        <TablePagination
          component="div"
          count={list?.total ?? 0}
          page={list && page * rowsPerPage >= list.total && page > 0 ? 0 : page}
          rowsPerPage={rowsPerPage}
          rowsPerPageOptions={[25, 50, 100]}
          onPageChange={(_, next) => setPage(next)}
          onRowsPerPageChange={(e) => {
            setRowsPerPage(Number(e.target.value));
            setPage(0);
          }}
          labelRowsPerPage={s.rowsPerPage}
          labelDisplayedRows={s.displayedRows}
        />
        <Typography variant="body2" color="text.secondary">
          {s.exportHint}
        </Typography>
      </Box>
    </Box>
  );
}
