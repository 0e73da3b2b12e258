import { memo, useId, useMemo, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import AssignmentTurnedInOutlined from '@mui/icons-material/AssignmentTurnedInOutlined';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import type { HandoffRow } from '../../../../shared/api/methods/review';
import { call, errorMessage, on, useApiQuery, useEventRevision } from '../../api/client';
import { EmptyState } from '../../components/EmptyState';
import { ExportFileFields, useOverwriteConfirmation, type ExportFormat } from '../../components/ExportFileFields';
import { componentStrings } from '../../components/strings';
import { visuallyHidden } from '../../components/visuallyHidden';
import { reviewStrings } from './strings';

const s = reviewStrings.handoff;
/** The most rows the list method serves at once; the export always writes them all. */
const LIMIT = 1000;

type Message = { severity: 'success' | 'error' | 'info'; text: string };

/**
 * Hand-off to the management software: the accepted changes not yet keyed into SIECLE/ONDE, their
 * export (.xlsx or CSV) and the "saisi" mark on the selected rows.
 */
export const HandoffSection = memo(function HandoffSection({ uai }: { uai: string }) {
  const titleId = useId();
  const [version, reload] = useEventRevision((bump) => [on('review.changed', (e) => e.uai === uai && bump())], [uai]);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [confirming, setConfirming] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);

  const query = useApiQuery('review.handoffList', { uai, limit: LIMIT }, [version]);

  const rows = useMemo(() => query.data?.items ?? [], [query.data]);
  const total = query.data?.total ?? 0;
  /** Only rows still listed count as selected (a row keyed elsewhere leaves the selection with the table). */
  const chosen = useMemo(() => rows.filter((r) => selected.has(r.id)).map((r) => r.id), [rows, selected]);
  const allSelected = rows.length > 0 && chosen.length === rows.length;

  const toggle = (id: number) =>
    setSelected((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const markKeyed = async () => {
    setBusy(true);
    try {
      const result = await call('review.markKeyed', { ids: chosen });
      setMessage({ severity: 'success', text: s.marked(result.marked) });
      setSelected(new Set());
    } catch (error) {
      setMessage({ severity: 'error', text: errorMessage(error) });
    } finally {
      setBusy(false);
      setConfirming(false);
      reload();
    }
  };

  return (
    <Box component="section" aria-labelledby={titleId} sx={{ mt: 4 }} data-testid="handoff-section">
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap', mb: 1 }}>
        <Typography variant="h2" id={titleId} sx={{ flexGrow: 1 }}>
          {s.title}
        </Typography>
        {total > 0 && (
          <>
            <Button variant="outlined" onClick={() => setConfirming(true)} disabled={chosen.length === 0 || busy}>
              {s.mark}
            </Button>
            <Button startIcon={<FileDownloadOutlined />} onClick={() => setExporting(true)}>
              {s.export.button}
            </Button>
          </>
        )}
      </Box>
      <Typography color="text.secondary" sx={{ mb: 2, maxWidth: '70ch' }}>
        {s.intro}
      </Typography>
      {message && (
        <Alert severity={message.severity} sx={{ mb: 1 }} onClose={() => setMessage(null)}>
          {message.text}
        </Alert>
      )}
      {query.error && <Alert severity="error" sx={{ mb: 1 }}>{query.error.message}</Alert>}
      {query.loading && !query.data && <LinearProgress aria-label={s.title} />}
      {query.data && total === 0 ? (
        <EmptyState icon={<AssignmentTurnedInOutlined />} title={s.empty.title} body={s.empty.body} />
      ) : query.data ? (
        <>
          <Typography variant="body2" role="status" aria-live="polite" sx={{ mb: 1 }} data-testid="handoff-total">
            {s.total(total)} · {s.selected(chosen.length)}
          </Typography>
          <Paper variant="outlined">
            <TableContainer>
              <Table size="small" data-testid="handoff-table">
                <Box component="caption" sx={visuallyHidden}>
                  {s.caption}
                </Box>
                <TableHead>
                  <TableRow>
                    <TableCell padding="checkbox" scope="col">
                      <Checkbox
                        checked={allSelected}
                        indeterminate={chosen.length > 0 && !allSelected}
                        onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((r) => r.id)))}
                        slotProps={{ input: { 'aria-label': s.selectAll } }}
                      />
                    </TableCell>
                    {Object.values(s.columns).map((label) => (
                      <TableCell key={label} scope="col">
                        {label}
                      </TableCell>
                    ))}
                  </TableRow>
                </TableHead>
                <TableBody>
                  {rows.map((row) => (
                    <HandoffTableRow key={row.id} row={row} checked={selected.has(row.id)} onToggle={() => toggle(row.id)} />
                  ))}
                </TableBody>
              </Table>
            </TableContainer>
          </Paper>
          {rows.length < total && (
            <Typography variant="body2" sx={{ mt: 1 }}>
              {s.more(rows.length, total)}
            </Typography>
          )}
        </>
      ) : null}
      <Dialog open={confirming} onClose={busy ? undefined : () => setConfirming(false)} aria-labelledby="handoff-mark-title">
        <DialogTitle id="handoff-mark-title">{s.markDialog.title}</DialogTitle>
        <DialogContent>
          <DialogContentText>{s.markDialog.body(chosen.length)}</DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)} disabled={busy}>
            {s.markDialog.cancel}
          </Button>
          <Button variant="contained" onClick={() => void markKeyed()} disabled={busy || chosen.length === 0}>
            {s.markDialog.confirm}
          </Button>
        </DialogActions>
      </Dialog>
      {exporting && <HandoffExportDialog uai={uai} total={total} onClose={() => setExporting(false)} />}
    </Box>
  );
});

function HandoffTableRow({ row, checked, onToggle }: { row: HandoffRow; checked: boolean; onToggle: () => void }) {
  const field = reviewStrings.fields[row.field] ?? row.field;
  return (
    <TableRow hover selected={checked} data-testid="handoff-row" data-item-id={row.id}>
      <TableCell padding="checkbox">
        <Checkbox checked={checked} onChange={onToggle} slotProps={{ input: { 'aria-label': s.selectRow(row.personLabel, field) } }} />
      </TableCell>
      <TableCell component="th" scope="row">
        {row.personLabel}
        <Typography component="span" variant="body2" color="text.secondary" sx={{ display: 'block' }}>
          {reviewStrings.personKinds[row.personKind] ?? row.personKind}
        </Typography>
      </TableCell>
      <TableCell>
        {row.ine && <Box>{s.ine(row.ine)}</Box>}
        <Box>{s.directoryId(row.personId)}</Box>
      </TableCell>
      <TableCell>{field}</TableCell>
      <TableCell>{row.oldValue ?? reviewStrings.empty_value}</TableCell>
      <TableCell>{row.newValue ?? reviewStrings.empty_value}</TableCell>
      <TableCell>{row.decidedBy ?? s.none}</TableCell>
      <TableCell>{row.decidedAt ? s.date(row.decidedAt) : s.none}</TableCell>
    </TableRow>
  );
}

/** Writes every row to a file: suggested in Documents, editable, or chosen in a dialog (like the accounts export). */
function HandoffExportDialog({ uai, total, onClose }: { uai: string; total: number; onClose: () => void }) {
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [path, setPath] = useState('');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<Message | null>(null);
  const overwrite = useOverwriteConfirmation();
  /** One attempt; the core checks the path (absolute, extension, existing folder) and says what is wrong, in French. */
  const attempt = async (replace: boolean) => {
    setRunning(true);
    try {
      return await call('review.handoffExport', { uai, format, path: path.trim(), overwrite: replace });
    } finally {
      setRunning(false);
    }
  };
  const run = async () => {
    setResult(null);
    try {
      const out = await overwrite.send(attempt);
      setResult(
        out === null ? { severity: 'info', text: componentStrings.exportFile.kept } : { severity: 'success', text: s.export.done(out.rows, out.path) },
      );
    } catch (error) {
      setResult({ severity: 'error', text: errorMessage(error) });
    }
  };
  return (
    <Dialog open onClose={running ? undefined : onClose} aria-labelledby="handoff-export-title" fullWidth>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!running && path.trim() !== '') void run();
        }}
      >
        <DialogTitle id="handoff-export-title">{s.export.title}</DialogTitle>
        <DialogContent>
          <DialogContentText>{s.export.body(total)}</DialogContentText>
          <ExportFileFields
            labels={s.export}
            format={format}
            path={path}
            onFormat={setFormat}
            onPath={setPath}
            disabled={running}
            target={{ name: 'handoff', uai }}
          />
          {running && <LinearProgress aria-label={s.export.running} sx={{ mt: 2 }} />}
          {result && (
            <Alert severity={result.severity} sx={{ mt: 2 }} role={result.severity === 'error' ? 'alert' : 'status'} data-testid="handoff-export-result">
              {result.text}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={running}>
            {s.export.close}
          </Button>
          <Button type="submit" variant="contained" disabled={running || path.trim() === ''}>
            {s.export.run}
          </Button>
        </DialogActions>
      </form>
      {overwrite.dialog}
    </Dialog>
  );
}
