import { useEffect, useId, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import OpenInNewOutlined from '@mui/icons-material/OpenInNewOutlined';
import type { AccountFilters } from '../../../../shared/api/methods/accounts';
import type { LetterIssueReport, LetterPreview as Preview } from '../../../../shared/api/methods/letters';
import type { AccountKind } from '../../../../shared/domain/accounts';
import { frenchDate } from '../../../../shared/domain/letters';
import { call, errorMessage, transport } from '../../api/client';
import { JobProgress, newJobId } from '../../components/JobProgress';
import { LetterPreview } from './LetterPreview';
import { lettersStrings as s } from './strings';

/** Which accounts a batch is for: ticked ids, or every row of a list query (a preset, a class, a filtered list). */
export type LetterSelection = { ids: string[] } | { query: { text?: string; filters?: AccountFilters } };

const SHOWN = 200;

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/** Rows of accounts with a reason (skipped or flagged), the first SHOWN of them. */
function ReasonTable({
  title,
  rows,
  testId,
  reasonLabel = s.dialog.columns.reason,
}: {
  title: string;
  rows: { id: string; displayName: string; reason: string }[];
  testId: string;
  reasonLabel?: string;
}) {
  const id = useId();
  if (rows.length === 0) return null;
  return (
    <Box component="section" aria-labelledby={id} sx={{ mt: 2 }} data-testid={testId}>
      <Typography component="h3" variant="subtitle1" id={id} sx={{ fontWeight: 700 }}>
        {title}
      </Typography>
      <Table size="small" aria-labelledby={id}>
        <TableHead>
          <TableRow>
            <TableCell>{s.dialog.columns.name}</TableCell>
            <TableCell>{reasonLabel}</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.slice(0, SHOWN).map((r) => (
            <TableRow key={r.id}>
              <TableCell>{r.displayName}</TableCell>
              <TableCell>{r.reason}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {rows.length > SHOWN && <Typography variant="body2">{s.dialog.more(rows.length - SHOWN)}</Typography>}
    </Box>
  );
}

/** The files written, each openable in the system viewer on the desktop; their paths in the browser host. */
function FileList({ files }: { files: string[] }) {
  const [error, setError] = useState<string | null>(null);
  const desktop = transport() === 'electron';
  const id = useId();
  return (
    <Box component="section" aria-labelledby={id} sx={{ mt: 2 }}>
      <Typography component="h3" variant="subtitle1" id={id} sx={{ fontWeight: 700 }}>
        {s.result.filesTitle}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {desktop ? s.result.desktopHelp : s.result.browserHelp}
      </Typography>
      <List dense data-testid="letter-files">
        {files.map((file) => (
          <ListItem key={file} sx={{ gap: 2, flexWrap: 'wrap' }} data-testid="letter-file">
            <Box component="code" sx={{ wordBreak: 'break-all' }}>
              {file}
            </Box>
            {desktop && (
              <Button
                size="small"
                startIcon={<OpenInNewOutlined />}
                aria-label={s.result.openFile(baseName(file))}
                onClick={() => {
                  setError(null);
                  call('system.openFile', { path: file }).catch((caught: unknown) => setError(s.result.openFailed(errorMessage(caught))));
                }}
              >
                {s.result.open}
              </Button>
            )}
          </ListItem>
        ))}
      </List>
      {error && <Alert severity="error">{error}</Alert>}
    </Box>
  );
}

export interface LetterBatchDialogProps {
  open: boolean;
  onClose: () => void;
  uai: string;
  kind: AccountKind;
  selection: LetterSelection;
  title: string;
  /** Called after a batch ran (accounts changed state). */
  onIssued?: () => void;
}

/**
 * The batch flow: preview (who gets a letter, who does not and why, the first letters with the password masked) →
 * confirm (split, folder) → progress with « Arrêter » → the files to print and the per-account report. The passwords
 * never reach this page: the core prints them straight into the PDF files.
 */
export function LetterBatchDialog({ open, onClose, uai, kind, selection, title, onIssued }: LetterBatchDialogProps) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [split, setSplit] = useState<'size' | 'class'>('size');
  const [outputDir, setOutputDir] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [report, setReport] = useState<LetterIssueReport | null>(null);
  const titleId = useId();
  const selectionKey = JSON.stringify(selection);

  // Mounted for one batch: the preview is asked for once (the callers mount the dialog when they open it).
  useEffect(() => {
    let live = true;
    call('letters.preview', { uai, kind, ...(JSON.parse(selectionKey) as LetterSelection) }).then(
      (p) => {
        if (!live) return;
        setPreview(p);
        setOutputDir((dir) => dir || p.outputDir);
      },
      (caught: unknown) => live && setError(errorMessage(caught)),
    );
    return () => {
      live = false;
    };
  }, [uai, kind, selectionKey]);

  const run = async () => {
    const id = newJobId();
    setJobId(id);
    setError(null);
    try {
      setReport(await call('letters.issue', { uai, kind, ...selection, outputDir, split, jobId: id }));
      onIssued?.();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setJobId(null);
    }
  };

  const close = () => {
    if (jobId) return;
    onClose();
  };

  return (
    <Dialog open={open} onClose={close} aria-labelledby={titleId} maxWidth="md" fullWidth>
      <DialogTitle id={titleId}>{report ? s.result.title : title}</DialogTitle>
      {/* Focusable so the long preview can be scrolled from the keyboard. */}
      <DialogContent tabIndex={0} role="region" aria-labelledby={titleId}>
        {!preview && !error && (
          <Box sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
            <CircularProgress size={24} aria-label={s.dialog.loading} />
            <Typography>{s.dialog.loading}</Typography>
          </Box>
        )}
        {preview && !report && (
          <>
            <Typography role="status" sx={{ fontWeight: 700 }} data-testid="letters-summary">
              {s.dialog.summary(preview.eligible, preview.selected)}
            </Typography>
            {preview.eligible > 0 ? (
              <>
                <DialogContentText sx={{ mt: 1 }}>{s.dialog.body}</DialogContentText>
                <Typography sx={{ mt: 1 }}>{s.dialog.validUntil(frenchDate(new Date(preview.validUntil)))}</Typography>
              </>
            ) : (
              <Alert severity="info" sx={{ mt: 1 }}>
                {s.dialog.nothing}
              </Alert>
            )}
            <ReasonTable title={s.dialog.skippedTitle(preview.skipped.length)} rows={preview.skipped} testId="letters-skipped" />
            <ReasonTable title={s.dialog.flaggedTitle(preview.flagged.length)} rows={preview.flagged} testId="letters-flagged" />
            {preview.eligible > 0 && (
              <Box sx={{ display: 'grid', gap: 2, mt: 3, maxWidth: 640 }}>
                <Box component="fieldset" sx={{ border: 0, p: 0, m: 0 }} disabled={jobId !== null}>
                  <FormLabel component="legend">{s.dialog.split}</FormLabel>
                  <RadioGroup row value={split} onChange={(e) => setSplit(e.target.value as 'size' | 'class')}>
                    <FormControlLabel value="size" control={<Radio />} label={s.dialog.splitSize} />
                    <FormControlLabel value="class" control={<Radio />} label={s.dialog.splitClass} />
                  </RadioGroup>
                </Box>
                <TextField
                  label={s.dialog.outputDir}
                  helperText={s.dialog.outputDirHelp}
                  value={outputDir}
                  onChange={(e) => setOutputDir(e.target.value)}
                  disabled={jobId !== null}
                  required
                  slotProps={{ htmlInput: { 'data-testid': 'letters-output-dir', spellCheck: false } }}
                />
              </Box>
            )}
            {jobId && <JobProgress jobId={jobId} label={s.dialog.running} />}
            {preview.letters.length > 0 && (
              <Box component="section" aria-labelledby={`${titleId}-preview`} sx={{ mt: 3 }}>
                <Typography component="h3" variant="subtitle1" id={`${titleId}-preview`} sx={{ fontWeight: 700 }}>
                  {s.dialog.previewTitle}
                </Typography>
                <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                  {s.dialog.previewHelp}
                </Typography>
                {preview.letters.map((letter, i) => (
                  <LetterPreview key={i} letter={letter} name={letter.addressee.lines[0] ?? letter.credentials.login} />
                ))}
              </Box>
            )}
          </>
        )}
        {report && (
          <>
            <Alert severity={report.cancelled ? 'warning' : report.count > 0 ? 'success' : 'info'} data-testid="letters-result">
              {report.cancelled ? s.result.cancelled(report.count) : report.count > 0 ? s.result.done(report.count, report.files.length) : s.result.none}
            </Alert>
            {report.files.length > 0 && <FileList files={report.files} />}
            <ReasonTable title={s.dialog.flaggedTitle(report.flagged.length)} rows={report.flagged} testId="letters-flagged" />
            <ReasonTable title={s.dialog.skippedTitle(report.skipped.length)} rows={report.skipped} testId="letters-skipped" />
            <ReasonTable
              title={s.result.notifiedTitle(report.notified.length)}
              rows={report.notified.map((r) => ({ id: r.id, displayName: r.displayName, reason: `${r.login} — ${baseName(r.file)}` }))}
              testId="letters-notified"
              reasonLabel={s.result.loginAndFile}
            />
          </>
        )}
        {error && (
          <Alert severity="error" sx={{ mt: 2 }} role="alert">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {jobId ? null : report || !preview || preview.eligible === 0 ? (
          <Button onClick={close}>{s.dialog.close}</Button>
        ) : (
          <>
            <Button onClick={close}>{s.dialog.cancel}</Button>
            <Button variant="contained" onClick={() => void run()} disabled={outputDir.trim() === ''} data-testid="letters-run">
              {s.dialog.run(preview.eligible)}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
