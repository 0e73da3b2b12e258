import { useId, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { ImportChange, ImportChangeStatus, ImportPreview } from '../../../../shared/api/methods/imports';
import { call, errorMessage, useApiQuery } from '../../api/client';
import { ExportFileFields, useOverwriteConfirmation } from '../../components/ExportFileFields';
import { JobProgress, newJobId } from '../../components/JobProgress';
import { componentStrings } from '../../components/strings';
import { visuallyHidden } from '../../components/visuallyHidden';
import { importStrings } from './strings';

const s = importStrings;
const PROBLEMS_SHOWN = 200;
const PAGE = 50;

type Message = { severity: 'success' | 'error' | 'info'; text: string };

/** The preview of one import: what it holds, its problems, its changes; then apply it, save its report, or drop it. */
export function PreviewSection({ preview, onApplied, onDiscard }: { preview: ImportPreview; onApplied: () => void; onDiscard: () => void }) {
  const titleId = useId();
  const [confirming, setConfirming] = useState(false);
  const [applyJob, setApplyJob] = useState<string | null>(null);
  const [applied, setApplied] = useState<{ reviewItems: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reporting, setReporting] = useState(false);
  const c = preview.counts;
  const records = c.new + c.changed + c.completed + c.left;

  const apply = async () => {
    setConfirming(false);
    setError(null);
    const jobId = newJobId();
    setApplyJob(jobId);
    try {
      const result = await call('imports.apply', { previewId: preview.previewId, jobId });
      setApplied({ reviewItems: result.reviewItems });
      onApplied();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setApplyJob(null);
    }
  };

  const counts: [string, number][] = [
    [s.preview.counts.pupils, c.pupils],
    [s.preview.counts.pupilsLeft, c.pupilsLeft],
    [s.preview.counts.guardians, c.guardians],
    [s.preview.counts.links, c.links],
    [s.preview.counts.new, c.new],
    [s.preview.counts.changed, c.changed],
    [s.preview.counts.completed, c.completed],
    [s.preview.counts.left, c.left],
    [s.preview.counts.differences, c.differences],
    [s.preview.counts.problems, preview.problems.length],
  ];

  return (
    <Box component="section" aria-labelledby={titleId} sx={{ mb: 4 }} data-testid="import-preview">
      <Typography variant="h2" id={titleId} sx={{ mb: 1 }}>
        {s.preview.title}
      </Typography>
      <Typography sx={{ mb: 1 }}>{s.preview.intro(preview.source, preview.files.length)}</Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
        {preview.files.map((f) => `${f.name} (${s.kinds[f.kind]})`).join(' · ')}
      </Typography>
      {preview.sameFilesAppliedAt && !applied && (
        <Alert severity="info" sx={{ mb: 2, maxWidth: 900 }}>
          {s.preview.alreadyApplied(preview.sameFilesAppliedAt)}
        </Alert>
      )}
      <Paper variant="outlined" sx={{ maxWidth: 520, mb: 2 }}>
        <Table size="small" data-testid="import-counts">
          <Box component="caption" sx={visuallyHidden}>
            {s.preview.counts.caption}
          </Box>
          <TableBody>
            {counts.map(([label, value]) => (
              <TableRow key={label}>
                <TableCell component="th" scope="row">
                  {label}
                </TableCell>
                <TableCell align="right" data-testid={`count-${label}`}>
                  {s.count(value)}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Paper>

      {applyJob && <JobProgress jobId={applyJob} label={s.apply.running} cancellable={false} />}
      {applied ? (
        <Alert
          severity="success"
          sx={{ mb: 2, maxWidth: 900 }}
          data-testid="import-applied"
          action={
            <Button component={RouterLink} to="/a-examiner" color="inherit" size="small">
              {s.apply.toReview}
            </Button>
          }
        >
          {s.apply.done(applied.reviewItems)}
        </Alert>
      ) : null}
      {error && (
        <Alert severity="error" role="alert" sx={{ mb: 2, maxWidth: 900 }}>
          {error}
        </Alert>
      )}
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mb: 3 }}>
        {!applied && (
          <Button variant="contained" onClick={() => setConfirming(true)} disabled={applyJob !== null}>
            {s.preview.apply}
          </Button>
        )}
        <Button variant="outlined" onClick={() => setReporting(true)} disabled={applyJob !== null}>
          {s.preview.report}
        </Button>
        <Button onClick={onDiscard} disabled={applyJob !== null}>
          {s.preview.discard}
        </Button>
      </Box>

      <ProblemsTable preview={preview} />
      <ChangesTable previewId={preview.previewId} revision={applied ? 1 : 0} />

      <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby="import-apply-title">
        <DialogTitle id="import-apply-title">{s.apply.title}</DialogTitle>
        <DialogContent>
          <DialogContentText>{s.apply.body(records, c.differences)}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>{s.apply.cancel}</Button>
          <Button variant="contained" onClick={() => void apply()} autoFocus>
            {s.apply.confirm}
          </Button>
        </DialogActions>
      </Dialog>
      {reporting && <ReportDialog preview={preview} onClose={() => setReporting(false)} />}
    </Box>
  );
}

function ProblemsTable({ preview }: { preview: ImportPreview }) {
  const titleId = useId();
  const shown = preview.problems.slice(0, PROBLEMS_SHOWN);
  return (
    <Box component="section" aria-labelledby={titleId} sx={{ mb: 3 }}>
      <Typography variant="h3" id={titleId} sx={{ fontSize: '1.2rem', fontWeight: 600, mb: 1 }}>
        {s.problems.title}
      </Typography>
      {shown.length === 0 ? (
        <Typography>{s.problems.none}</Typography>
      ) : (
        <Paper variant="outlined">
          {/* Scrolls on its own: reachable by keyboard (Tab, then the arrow keys), named for screen readers. */}
          <TableContainer sx={{ maxHeight: 360 }} tabIndex={0} role="region" aria-label={s.problems.caption}>
            <Table size="small" stickyHeader data-testid="import-problems">
              <Box component="caption" sx={visuallyHidden}>
                {s.problems.caption}
              </Box>
              <TableHead>
                <TableRow>
                  {s.problems.columns.map((label) => (
                    <TableCell key={label} scope="col">
                      {label}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {shown.map((p, i) => (
                  <TableRow key={i} data-testid="import-problem" data-code={p.code}>
                    <TableCell>{p.file}</TableCell>
                    <TableCell>{p.where}</TableCell>
                    <TableCell>{s.problems.severities[p.severity]}</TableCell>
                    <TableCell>{p.message}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        </Paper>
      )}
      {preview.problems.length > shown.length && (
        <Typography variant="body2" sx={{ mt: 1 }}>
          {s.problems.more(shown.length, preview.problems.length)}
        </Typography>
      )}
    </Box>
  );
}

function ChangesTable({ previewId, revision }: { previewId: string; revision: number }) {
  const titleId = useId();
  const [status, setStatus] = useState<ImportChangeStatus>('changed');
  const [offset, setOffset] = useState(0);
  const query = useApiQuery('imports.changes', { previewId, status, offset, limit: PAGE }, [revision]);
  const total = query.data?.total ?? 0;
  return (
    <Box component="section" aria-labelledby={titleId}>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap', mb: 1 }}>
        <Typography variant="h3" id={titleId} sx={{ fontSize: '1.2rem', fontWeight: 600 }}>
          {s.changes.title}
        </Typography>
        <TextField
          select
          size="small"
          label={s.changes.filter}
          value={status}
          onChange={(e) => {
            setStatus(e.target.value as ImportChangeStatus);
            setOffset(0);
          }}
          sx={{ minWidth: 220 }}
          slotProps={{ htmlInput: { 'data-testid': 'import-changes-filter' } }}
        >
          {(Object.keys(s.changes.statuses) as ImportChangeStatus[]).map((key) => (
            <MenuItem key={key} value={key}>
              {s.changes.statuses[key]}
            </MenuItem>
          ))}
        </TextField>
        {total > 0 && (
          <Typography variant="body2" role="status" aria-live="polite">
            {s.changes.page(offset + 1, Math.min(total, offset + PAGE), total)}
          </Typography>
        )}
      </Box>
      {query.error && <Alert severity="error">{query.error.message}</Alert>}
      {query.loading && !query.data && <LinearProgress aria-label={s.changes.title} />}
      {query.data && total === 0 && <Typography>{s.changes.none}</Typography>}
      {query.data && total > 0 && (
        <Paper variant="outlined">
          <TableContainer>
            <Table size="small" data-testid="import-changes">
              <Box component="caption" sx={visuallyHidden}>
                {s.changes.caption}
              </Box>
              <TableHead>
                <TableRow>
                  {s.changes.columns.map((label) => (
                    <TableCell key={label} scope="col">
                      {label}
                    </TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {query.data.items.map((item) => (
                  <ChangeRow key={`${item.personKind}-${item.personId}`} item={item} />
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        </Paper>
      )}
      {total > PAGE && (
        <Box sx={{ display: 'flex', gap: 1, mt: 1 }}>
          <Button onClick={() => setOffset(Math.max(0, offset - PAGE))} disabled={offset === 0}>
            {s.changes.previous}
          </Button>
          <Button onClick={() => setOffset(offset + PAGE)} disabled={offset + PAGE >= total}>
            {s.changes.next}
          </Button>
        </Box>
      )}
    </Box>
  );
}

function ChangeRow({ item }: { item: ImportChange }) {
  const show = (value: string | null) => value ?? s.changes.empty;
  return (
    <TableRow data-testid="import-change" data-person-id={item.personId}>
      <TableCell component="th" scope="row">
        {item.label}
        <Typography component="span" variant="body2" color="text.secondary" sx={{ display: 'block' }}>
          {[s.changes.kinds[item.personKind], item.ine && s.changes.ine(item.ine), item.division && s.changes.division(item.division)].filter(Boolean).join(' · ')}
        </Typography>
      </TableCell>
      <TableCell>{s.changes.status[item.status]}</TableCell>
      <TableCell>
        {item.fields.map((f) => (
          <Box key={f.field}>
            <strong>{s.changes.field(f.field)}</strong> : {show(f.before)} {s.changes.arrow} {show(f.after)}
          </Box>
        ))}
      </TableCell>
      <TableCell>
        {item.differences.map((d) => (
          <Box key={d.field}>
            <strong>{s.changes.field(d.field)}</strong> : {s.changes.schoolVsDirectory(show(d.school), show(d.directory))}
          </Box>
        ))}
      </TableCell>
    </TableRow>
  );
}

/** Writes the report to a file: suggested in Documents, editable, or chosen in the native dialog. */
function ReportDialog({ preview, onClose }: { preview: ImportPreview; onClose: () => void }) {
  const [path, setPath] = useState('');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Message | null>(null);
  const overwrite = useOverwriteConfirmation();
  const attempt = async (replace: boolean) => {
    setRunning(true);
    try {
      return await call('imports.report', { previewId: preview.previewId, path: path.trim(), overwrite: replace });
    } finally {
      setRunning(false);
    }
  };
  const run = async () => {
    setResult(null);
    try {
      const out = await overwrite.send(attempt);
      setResult(out === null ? { severity: 'info', text: componentStrings.exportFile.kept } : { severity: 'success', text: s.report.done(out.path) });
    } catch (caught) {
      setResult({ severity: 'error', text: errorMessage(caught) });
    }
  };
  return (
    <Dialog open onClose={running ? undefined : onClose} aria-labelledby="import-report-title" fullWidth>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!running && path.trim() !== '') void run();
        }}
      >
        <DialogTitle id="import-report-title">{s.report.title}</DialogTitle>
        <DialogContent>
          <DialogContentText>{s.report.body}</DialogContentText>
          <ExportFileFields
            labels={{ path: s.report.path }}
            format="xlsx"
            formats={['xlsx']}
            path={path}
            onFormat={() => undefined}
            onPath={setPath}
            disabled={running}
            target={{ name: 'import-report', uai: preview.uai }}
          />
          {running && <LinearProgress aria-label={s.report.running} sx={{ mt: 2 }} />}
          {result && (
            <Alert severity={result.severity} sx={{ mt: 2 }} role={result.severity === 'error' ? 'alert' : 'status'} data-testid="import-report-result">
              {result.text}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={running}>
            {s.report.close}
          </Button>
          <Button type="submit" variant="contained" disabled={running || path.trim() === ''}>
            {s.report.run}
          </Button>
        </DialogActions>
      </form>
      {overwrite.dialog}
    </Dialog>
  );
}
