import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import FolderOpenOutlined from '@mui/icons-material/FolderOpenOutlined';
import { isExistingFileRefusal } from '../../../shared/api/export-file';
import type { ExportName } from '../../../shared/api/methods/system';
import { call, errorMessage } from '../api/client';
import { componentStrings } from './strings';

export type ExportFormat = 'xlsx' | 'csv';

export interface ExportFileLabels {
  /** Only needed when more than one format is offered. */
  format?: string;
  xlsx?: string;
  csv?: string;
  path: string;
  pathHelp?: string;
}

const s = componentStrings.exportFile;
const withFormat = (path: string, format: ExportFormat) => path.replace(/\.(xlsx|csv)$/i, `.${format}`);

/**
 * The fields of an export dialog: the format (.xlsx or CSV, when both are offered) and the absolute path of the file
 * to write. The path is prefilled with the core's suggestion (Documents folder, dated French name) and stays
 * editable; in the desktop app, "Parcourir…" opens the native "Enregistrer sous…" dialog. Changing the format also
 * changes a matching extension already in the path. Texts come from the calling feature.
 */
export function ExportFileFields({ labels, format, path, onFormat, onPath, disabled, formats = ['xlsx', 'csv'], target }: {
  labels: ExportFileLabels;
  format: ExportFormat;
  path: string;
  onFormat: (format: ExportFormat) => void;
  onPath: (path: string) => void;
  disabled?: boolean;
  formats?: readonly ExportFormat[];
  /** Which export this is, for the suggested file name (and the establishment it concerns). */
  target: { name: ExportName; uai?: string };
}) {
  const [saveDialog, setSaveDialog] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const [problem, setProblem] = useState<string>();
  // The latest values, for answers that arrive after the user has typed or changed the format.
  const latest = useRef({ path, format, onPath });
  useEffect(() => {
    latest.current = { path, format, onPath };
  });

  useEffect(() => {
    let live = true;
    call('system.exportTarget', { name: target.name, uai: target.uai, format: latest.current.format })
      .then((suggestion) => {
        if (!live) return;
        setSaveDialog(suggestion.saveDialog);
        // Never overwrite what the user has typed meanwhile.
        if (latest.current.path === '') latest.current.onPath(withFormat(suggestion.path, latest.current.format));
      })
      .catch(() => {
        // No suggestion (e.g. the session just locked): the field stays empty for the user to fill in.
      });
    return () => {
      live = false;
    };
  }, [target.name, target.uai]);

  const browse = async () => {
    setBrowsing(true);
    setProblem(undefined);
    try {
      const chosen = await call('system.chooseSaveFile', { defaultPath: path.trim() || '.', format });
      if (chosen.path !== null) onPath(chosen.path);
    } catch (caught) {
      setProblem(errorMessage(caught));
    } finally {
      setBrowsing(false);
    }
  };

  return (
    <>
      {formats.length > 1 && (
        <RadioGroup
          aria-label={labels.format}
          value={format}
          onChange={(e) => {
            const next = e.target.value as ExportFormat;
            onFormat(next);
            onPath(withFormat(path, next));
          }}
          sx={{ my: 1 }}
        >
          {formats.map((f) => (
            <FormControlLabel key={f} value={f} control={<Radio />} label={labels[f] ?? `.${f}`} disabled={disabled} />
          ))}
        </RadioGroup>
      )}
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', mt: formats.length > 1 ? 0 : 1 }}>
        <TextField
          label={labels.path}
          helperText={problem ?? labels.pathHelp ?? s.suggested}
          error={problem !== undefined}
          value={path}
          onChange={(e) => onPath(e.target.value)}
          fullWidth
          required
          disabled={disabled}
          slotProps={{ htmlInput: { spellCheck: false, 'data-testid': 'export-path' } }}
        />
        {saveDialog && (
          <Button
            variant="outlined"
            startIcon={<FolderOpenOutlined />}
            onClick={() => void browse()}
            disabled={disabled || browsing}
            title={s.browseTitle}
            sx={{ flexShrink: 0, mt: 1 }}
          >
            {s.browse}
          </Button>
        )}
      </Box>
    </>
  );
}

/**
 * Sends an export without overwriting; when the core answers that the file exists (CONFLICT, reason "exists"), asks
 * « Le fichier existe déjà. Le remplacer ? » and, on confirmation, sends it again with `overwrite: true`. `send`
 * resolves to null when the user keeps the existing file. Render `dialog` in the export's component.
 */
export function useOverwriteConfirmation(): {
  send: <T>(attempt: (overwrite: boolean) => Promise<T>) => Promise<T | null>;
  dialog: ReactNode;
} {
  const [asking, setAsking] = useState<{ path: string; answer: (replace: boolean) => void } | null>(null);
  const send = useCallback(async <T,>(attempt: (overwrite: boolean) => Promise<T>): Promise<T | null> => {
    try {
      return await attempt(false);
    } catch (error) {
      if (!isExistingFileRefusal(error)) throw error;
      const path = String((error as { details: { path?: unknown } }).details.path ?? '');
      const replace = await new Promise<boolean>((answer) => setAsking({ path, answer }));
      setAsking(null);
      return replace ? attempt(true) : null;
    }
  }, []);
  const dialog = (
    <Dialog
      open={asking !== null}
      onClose={() => asking?.answer(false)}
      role="alertdialog"
      aria-labelledby="export-overwrite-title"
      aria-describedby="export-overwrite-body"
    >
      <DialogTitle id="export-overwrite-title">{s.overwrite.title}</DialogTitle>
      <DialogContent>
        <DialogContentText id="export-overwrite-body" sx={{ wordBreak: 'break-all' }}>
          {s.overwrite.body(asking?.path ?? '')}
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        {/* The safe answer has the focus: Enter right after the question keeps the existing file. */}
        <Button onClick={() => asking?.answer(false)} autoFocus>
          {s.overwrite.cancel}
        </Button>
        <Button variant="contained" color="warning" onClick={() => asking?.answer(true)}>
          {s.overwrite.confirm}
        </Button>
      </DialogActions>
    </Dialog>
  );
  return { send, dialog };
}
