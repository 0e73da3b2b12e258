import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FileDownloadOutlined from '@mui/icons-material/FileDownloadOutlined';
import { call, errorMessage } from '../../api/client';
import { ExportFileFields, useOverwriteConfirmation } from '../../components/ExportFileFields';
import { JobProgress, newJobId } from '../../components/JobProgress';
import { componentStrings } from '../../components/strings';
import { statsStrings } from './strings';

const s = statsStrings.export;

/**
 * « Exporter le classeur (.xlsx) »: the path (suggested in Documents), the job's progress with « Arrêter », the
 * overwrite question. `disabledReason`: why there is nothing to export yet (the button stays visible, disabled, with
 * the reason beside it).
 */
export function ExportWorkbook({ uai, disabledReason }: { uai: string | null; disabledReason: string | null }) {
  const [open, setOpen] = useState(false);
  const [path, setPath] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [message, setMessage] = useState<{ severity: 'success' | 'info' | 'error'; text: string } | null>(null);
  const overwrite = useOverwriteConfirmation();

  const run = async () => {
    setMessage(null);
    const id = newJobId();
    setJobId(id);
    try {
      const result = await overwrite.send((replace) => call('stats.exportXlsx', { ...(uai ? { uai } : {}), path: path.trim(), jobId: id, overwrite: replace }));
      if (result === null) setMessage({ severity: 'info', text: componentStrings.exportFile.kept });
      else setMessage(result.cancelled ? { severity: 'info', text: s.cancelled } : { severity: 'success', text: s.done(result.path) });
    } catch (caught) {
      setMessage({ severity: 'error', text: errorMessage(caught) });
    } finally {
      setJobId(null);
    }
  };

  return (
    <>
      <Button
        variant="contained"
        startIcon={<FileDownloadOutlined />}
        onClick={() => setOpen(true)}
        disabled={disabledReason !== null}
        aria-describedby={disabledReason ? 'stats-export-disabled' : undefined}
        data-testid="stats-export"
      >
        {statsStrings.actions.export}
      </Button>
      <Dialog open={open} onClose={() => jobId === null && setOpen(false)} aria-labelledby="stats-export-title" fullWidth maxWidth="md">
        <DialogTitle id="stats-export-title">{s.title}</DialogTitle>
        <DialogContent>
          <DialogContentText>{s.intro}</DialogContentText>
          <ExportFileFields
            labels={{ path: s.path }}
            formats={['xlsx']}
            format="xlsx"
            path={path}
            onFormat={() => undefined}
            onPath={setPath}
            disabled={jobId !== null}
            target={{ name: 'statistics', uai: uai ?? undefined }}
          />
          {jobId && <JobProgress jobId={jobId} label={s.running} />}
          <div role="status" aria-live="polite">
            {message && (
              <Alert severity={message.severity} sx={{ mt: 2, wordBreak: 'break-all' }} data-testid="stats-export-message">
                {message.text}
              </Alert>
            )}
          </div>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={jobId !== null}>
            {s.close}
          </Button>
          <Button variant="contained" onClick={() => void run()} disabled={jobId !== null || path.trim() === ''}>
            {s.start}
          </Button>
        </DialogActions>
      </Dialog>
      {overwrite.dialog}
    </>
  );
}
