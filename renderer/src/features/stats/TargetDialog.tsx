import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import { call, errorMessage } from '../../api/client';
import { statsStrings } from './strings';

const s = statsStrings.target;

/** « Modifier l'objectif » (head of establishment): the target line, in percent, for this workstation. */
export function TargetDialog({ target, onSaved }: { target: number; onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const parsed = Number(value.replace(',', '.'));
  const valid = value.trim() !== '' && Number.isFinite(parsed) && parsed >= 5 && parsed <= 100;

  const save = async () => {
    if (!valid) return;
    try {
      await call('stats.setTarget', { target: Math.round(parsed * 10) / 1000 });
      setOpen(false);
      onSaved();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };

  return (
    <>
      <Button
        size="small"
        onClick={() => {
          setValue(String(Math.round(target * 1000) / 10).replace('.', ','));
          setError(null);
          setOpen(true);
        }}
      >
        {s.edit}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby="stats-target-title">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          noValidate
        >
          <DialogTitle id="stats-target-title">{s.dialogTitle}</DialogTitle>
          <DialogContent>
            <TextField
              autoFocus
              label={s.field}
              value={value}
              onChange={(e) => setValue(e.target.value)}
              error={value !== '' && !valid}
              helperText={value !== '' && !valid ? s.invalid : s.help}
              slotProps={{ htmlInput: { inputMode: 'decimal' } }}
              sx={{ mt: 1 }}
            />
            {error && <Alert severity="error">{error}</Alert>}
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(false)}>{s.cancel}</Button>
            <Button type="submit" variant="contained" disabled={!valid}>
              {s.save}
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
