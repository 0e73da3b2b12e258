import type { ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import CircularProgress from '@mui/material/CircularProgress';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import Refresh from '@mui/icons-material/Refresh';
import type { SystemStatus } from '../../../../shared/api/contract';
import { useApiQuery } from '../../api/client';
import { Page } from '../../components/Page';
import { visuallyHidden } from '../../components/visuallyHidden';
import { systemStrings as s } from './strings';

/** The vertical slice through both transports: `system.status`, shown for operators and support. */
export function StatusPage() {
  const { data, error, loading, reload } = useApiQuery('system.status', {});

  const refreshButton = data && (
    <Button variant="outlined" startIcon={<Refresh />} onClick={reload} disabled={loading}>
      {loading ? s.refreshing : s.refresh}
    </Button>
  );

  return (
    <Page title={s.title} intro={s.intro} actions={refreshButton}>
      {error && (
        <Alert
          severity="error"
          sx={{ mb: 3 }}
          action={
            <Button color="inherit" variant="outlined" size="small" onClick={reload}>
              {s.retry}
            </Button>
          }
        >
          <AlertTitle>{s.errorTitle}</AlertTitle>
          {error.message}
        </Alert>
      )}
      {!data && loading && (
        <Box sx={{ display: 'flex', justifyContent: 'center', py: 6 }}>
          <CircularProgress aria-label={s.loading} />
        </Box>
      )}
      {data && <StatusDetails status={data} />}
    </Page>
  );
}

function StatusDetails({ status }: { status: SystemStatus }) {
  const upToDate = status.schemaVersion >= status.latestSchemaVersion;
  return (
    <>
      <Paper variant="outlined" component="section" aria-labelledby="status-details-title" sx={{ p: 3, mb: 3 }}>
        <Typography variant="h2" id="status-details-title" sx={{ mb: 2 }}>
          {s.detailsTitle}
        </Typography>
        <Box
          component="dl"
          sx={{
            display: 'grid',
            gridTemplateColumns: { xs: '1fr', md: 'minmax(14rem, max-content) 1fr' },
            columnGap: 3,
            rowGap: 1.5,
            m: 0,
            '& dt': { fontWeight: 700 },
            '& dd': { m: 0, overflowWrap: 'anywhere' },
          }}
        >
          <Field label={s.fields.appVersion} testId="status-app-version">
            {status.appVersion}
          </Field>
          <Field label={s.fields.host} testId="status-host">
            {s.host[status.host]}
          </Field>
          <Field label={s.fields.dataDir} testId="status-data-dir">
            <code>{status.dataDir}</code>
          </Field>
          <Field label={s.fields.databaseFile} testId="status-database-file">
            <code>{status.databaseFile}</code>
          </Field>
          <Field label={s.fields.schemaVersion}>
            <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
              <span
                data-testid="status-schema-version"
                data-current={status.schemaVersion}
                data-latest={status.latestSchemaVersion}
              >
                {status.schemaVersion} / {status.latestSchemaVersion}
              </span>
              <Chip
                size="small"
                variant="outlined"
                color={upToDate ? 'success' : 'warning'}
                label={upToDate ? s.schemaUpToDate : s.schemaBehind}
              />
            </Box>
          </Field>
          <Field label={s.fields.directory} testId="status-directory">
            {s.directory(status.directory)}
          </Field>
          <Field label={s.fields.startedAt} testId="status-started-at">
            <time dateTime={status.startedAt}>{s.formatDateTime(status.startedAt)}</time>
          </Field>
          <Field label={s.fields.nodeVersion} testId="status-node-version">
            {status.nodeVersion}
          </Field>
          <Field label={s.fields.sqliteVersion} testId="status-sqlite-version">
            {status.sqliteVersion}
          </Field>
        </Box>
      </Paper>

      <Box component="section" aria-labelledby="status-tables-title">
        <Typography variant="h2" id="status-tables-title" sx={{ mb: 2 }}>
          {s.tablesTitle}
        </Typography>
        {status.tables.length === 0 ? (
          <Typography>{s.noTables}</Typography>
        ) : (
          <TableContainer component={Paper} variant="outlined" sx={{ maxWidth: 560 }}>
            <Table size="small" data-testid="status-tables">
              <Box component="caption" sx={visuallyHidden}>
                {s.tablesCaption}
              </Box>
              <TableHead>
                <TableRow>
                  <TableCell component="th" scope="col">
                    {s.tableColumn}
                  </TableCell>
                  <TableCell component="th" scope="col" align="right">
                    {s.rowsColumn}
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {status.tables.map(({ table, rows }) => (
                  <TableRow key={table} data-testid={`table-count-${table}`}>
                    <TableCell component="th" scope="row">
                      <code>{table}</code>
                    </TableCell>
                    <TableCell align="right" data-value={rows} sx={{ fontVariantNumeric: 'tabular-nums' }}>
                      {s.formatCount(rows)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </Box>
    </>
  );
}

function Field({ label, testId, children }: { label: string; testId?: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}
