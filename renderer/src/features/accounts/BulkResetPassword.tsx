import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import PasswordOutlined from '@mui/icons-material/PasswordOutlined';
import PrintOutlined from '@mui/icons-material/PrintOutlined';
import type { AccountKind } from '../../../../shared/domain/accounts';
import { call } from '../../api/client';
import type { Query, Selection } from './BulkActions';
import { BulkReportTable } from './BulkReportTable';
import { CredentialSlips, PrintableCredentials } from './CredentialSheet';
import { JobProgress } from '../../components/JobProgress';
import { bulkTarget, useBulkJob } from './progress';
import { accountsStrings as s } from './strings';

/**
 * New temporary passwords for the selection: confirmation, progress and stop, the per-row report, then one printable
 * slip per account. The passwords live only in this component's state: closing the dialog drops them.
 */
export function BulkResetPassword({ kind, uai, query, selection, count, onDone }: {
  kind: AccountKind;
  uai: string;
  query: Query;
  selection: Selection;
  count: number;
  onDone: () => void;
}) {
  const [open, setOpen] = useState(false);
  const { jobId, report, error, run, clear } = useBulkJob(
    (id) => call('accounts.bulkResetPassword', { jobId: id, kind, uai, ...bulkTarget(selection, query) }),
    onDone,
  );
  const close = () => {
    setOpen(false);
    clear();
  };
  const credentials = report?.credentials ?? [];
  return (
    <>
      <Button variant="outlined" startIcon={<PasswordOutlined />} onClick={() => setOpen(true)} data-testid="bulk-resetPassword">
        {s.bulkReset.button}
      </Button>
      <Dialog
        open={open}
        // Only the buttons close it once passwords are shown: a stray Escape or click must not erase them.
        onClose={jobId || report ? undefined : close}
        aria-labelledby="bulk-reset-title"
        maxWidth="md"
        fullWidth
      >
        <DialogTitle id="bulk-reset-title">{report ? s.bulkReset.reportTitle : s.bulkReset.title(count)}</DialogTitle>
        {/* Focusable so the long report and slips can be scrolled from the keyboard. */}
        <DialogContent tabIndex={0} role="region" aria-labelledby="bulk-reset-title">
          {!report && <DialogContentText>{s.bulkReset.body}</DialogContentText>}
          <Alert severity="warning" sx={{ mt: 2 }} data-testid="bulk-reset-secrecy">
            {s.bulkReset.secrecy}
          </Alert>
          {jobId && <JobProgress jobId={jobId} label={s.bulk.running} />}
          {error && (
            <Alert severity="error" sx={{ mt: 2 }} role="alert">
              {error}
            </Alert>
          )}
          {report && (
            <>
              <Box sx={{ mt: 2 }}>
                <BulkReportTable report={report} outcomes={s.bulkReset.outcomes} />
              </Box>
              {credentials.length === 0 ? (
                <Typography sx={{ mt: 2 }}>{s.bulkReset.noneDone}</Typography>
              ) : (
                <Box component="section" aria-labelledby="bulk-reset-slips" sx={{ mt: 3 }}>
                  <Typography component="h3" variant="h6" id="bulk-reset-slips">
                    {s.bulkReset.slipsTitle(credentials.length)}
                  </Typography>
                  <Typography variant="body2" sx={{ mb: 1 }}>
                    {s.bulkReset.printHelp}
                  </Typography>
                  <CredentialSlips kind={report.kind} establishment={report.establishment} credentials={credentials} />
                  <PrintableCredentials kind={report.kind} establishment={report.establishment} credentials={credentials} />
                </Box>
              )}
            </>
          )}
        </DialogContent>
        <DialogActions>
          {jobId ? null : report ? (
            <>
              {credentials.length > 0 && (
                <Button variant="contained" startIcon={<PrintOutlined />} onClick={() => window.print()}>
                  {s.bulkReset.print(credentials.length)}
                </Button>
              )}
              <Button onClick={close}>{credentials.length > 0 ? s.bulkReset.close : s.bulk.close}</Button>
            </>
          ) : (
            <>
              <Button onClick={close}>{s.detail.cancel}</Button>
              <Button variant="contained" onClick={() => void run()}>
                {s.bulkReset.run}
              </Button>
            </>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
}
