import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import type { AccountFilters, AccountSort } from '../../../../shared/api/methods/accounts';
import type { AccountKind } from '../../../../shared/domain/accounts';
import { call, errorMessage } from '../../api/client';
import { ExportFileFields, useOverwriteConfirmation, type ExportFormat } from '../../components/ExportFileFields';
import { componentStrings } from '../../components/strings';
import { BulkReportTable } from './BulkReportTable';
import MailOutlined from '@mui/icons-material/MailOutlined';
import { LetterBatchDialog } from '../letters/LetterBatchDialog';
import { lettersStrings } from '../letters/strings';
import { JobProgress, newJobId } from '../../components/JobProgress';
import { bulkTarget, useBulkJob } from './progress';
import { accountsStrings as s } from './strings';

export interface Selection {
  ids: Set<string>;
  /** Every row of the current query, across pages. */
  allMatching: boolean;
}

export interface Query {
  kind: AccountKind;
  uai: string;
  text?: string;
  filters?: AccountFilters;
}

type BulkKind = 'unlock' | 'deactivate' | 'reactivate';

/** Actions on the selection: confirmation (with reason where required), progress, stop, per-row report. */
export function BulkActions({ kind, uai, query, selection, count, onDone }: { kind: AccountKind; uai: string; query: Query; selection: Selection; count: number; onDone: () => void }) {
  const [action, setAction] = useState<BulkKind | null>(null);
  const [letters, setLetters] = useState(false);
  const [reason, setReason] = useState('');
  const { jobId, report, error, run, clear } = useBulkJob(
    (id) =>
      call('accounts.bulk', { jobId: id, kind, uai, action: action!, reason: action === 'unlock' ? undefined : reason, ...bulkTarget(selection, query) }),
    onDone,
  );
  if (count === 0) return null;

  const close = () => {
    setAction(null);
    setReason('');
    clear();
  };
  const label = action ? s.bulk[action] : '';
  return (
    <>
      <Button variant="outlined" startIcon={<MailOutlined />} onClick={() => setLetters(true)} data-testid="bulk-letters">
        {lettersStrings.fromAccounts.button}
      </Button>
      {letters && (
        <LetterBatchDialog
          open
          uai={uai}
          kind={kind}
          selection={bulkTarget(selection, query)}
          title={lettersStrings.fromAccounts.title(count)}
          onClose={() => setLetters(false)}
          onIssued={onDone}
        />
      )}
      {(['unlock', 'deactivate', 'reactivate'] as const).map((a) => (
        <Button key={a} variant="outlined" onClick={() => setAction(a)} data-testid={`bulk-${a}`}>
          {s.bulk[a]}
        </Button>
      ))}
      <Dialog open={action !== null} onClose={jobId ? undefined : close} aria-labelledby="bulk-title" maxWidth="md" fullWidth>
        <DialogTitle id="bulk-title">{report ? s.bulk.reportTitle : s.bulk.confirmTitle(label, count)}</DialogTitle>
        <DialogContent>
          {!report && <DialogContentText>{s.bulk.confirmBody}</DialogContentText>}
          {!report && action !== 'unlock' && (
            <TextField label={s.bulk.reason} value={reason} onChange={(e) => setReason(e.target.value)} fullWidth required sx={{ mt: 2 }} disabled={jobId !== null} />
          )}
          {jobId && <JobProgress jobId={jobId} label={s.bulk.running} />}
          {error && <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert>}
          {report && <BulkReportTable report={report} />}
        </DialogContent>
        <DialogActions>
          {jobId ? null : report ? (
            <Button onClick={close}>{s.bulk.close}</Button>
          ) : (
            <>
              <Button onClick={close}>{s.detail.cancel}</Button>
              <Button variant="contained" onClick={() => void run()} disabled={action !== 'unlock' && reason.trim().length < 3}>
                {s.bulk.run}
              </Button>
            </>
          )}
        </DialogActions>
      </Dialog>
    </>
  );
}

/** Exports the current filtered list (all pages) to a file: suggested in Documents, editable, or chosen in a dialog. */
export function ExportButton({ kind, uai, query, sort, total }: { kind: AccountKind; uai: string; query: Query; sort: AccountSort; total: number }) {
  const [open, setOpen] = useState(false);
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [path, setPath] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [result, setResult] = useState<{ severity: 'success' | 'error' | 'info'; text: string } | null>(null);
  const overwrite = useOverwriteConfirmation();
  /** One attempt, a job of its own (the first may be refused because the file exists, before any work). */
  const attempt = async (replace: boolean) => {
    const id = newJobId();
    setJobId(id);
    try {
      return await call('accounts.export', { kind, uai, text: query.text, filters: query.filters, sort, format, path, overwrite: replace, jobId: id });
    } finally {
      setJobId(null);
    }
  };
  const run = async () => {
    setResult(null);
    try {
      const out = await overwrite.send(attempt);
      if (out === null) setResult({ severity: 'info', text: componentStrings.exportFile.kept });
      else setResult(out.cancelled ? { severity: 'info', text: s.export.cancelled } : { severity: 'success', text: s.export.done(out.rows, out.path) });
    } catch (caught) {
      setResult({ severity: 'error', text: errorMessage(caught) });
    }
  };
  return (
    <>
      <Button
        startIcon={<FileDownloadOutlined />}
        onClick={() => {
          // A fresh suggestion each time: the previous export's file now exists.
          setPath('');
          setResult(null);
          setOpen(true);
        }}
      >
        {s.export.button}
      </Button>
      <Dialog open={open} onClose={jobId ? undefined : () => setOpen(false)} aria-labelledby="export-title" fullWidth>
        <DialogTitle id="export-title">{s.export.title}</DialogTitle>
        <DialogContent>
          <DialogContentText>{s.export.body(total)}</DialogContentText>
          <ExportFileFields
            labels={s.export}
            format={format}
            path={path}
            onFormat={setFormat}
            onPath={setPath}
            disabled={jobId !== null}
            target={{ name: kind === 'pupil' ? 'accounts-pupil' : 'accounts-guardian', uai }}
          />
          {jobId && <JobProgress jobId={jobId} label={s.bulk.running} />}
          {result && <Alert severity={result.severity} sx={{ mt: 2 }} data-testid="accounts-export-result">{result.text}</Alert>}
        </DialogContent>
        <DialogActions>
          {jobId ? null : (
            <>
              <Button onClick={() => setOpen(false)}>{s.bulk.close}</Button>
              <Button variant="contained" onClick={() => void run()} disabled={path.trim() === ''}>
                {s.export.run}
              </Button>
            </>
          )}
        </DialogActions>
      </Dialog>
      {overwrite.dialog}
    </>
  );
}
