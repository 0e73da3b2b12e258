import { useState } from 'react';
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
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { CSV_FIELDS, type CsvField, type CsvMapping } from '../../../../shared/api/methods/imports';
import { call, errorMessage, useApiQuery } from '../../api/client';
import { importStrings } from './strings';

const s = importStrings.mapping;
const REQUIRED: CsvField[] = ['pupil.lastName', 'pupil.firstName', 'pupil.birthDate'];

/**
 * The column-mapping step of a generic CSV: one choice per field among the file's columns, prefilled with the
 * establishment's saved mapping or a suggestion from the column names, saved for the establishment.
 */
export function MappingDialog({ uai, file, onSaved, onClose }: { uai: string; file: string; onSaved: () => void; onClose: () => void }) {
  const columns = useApiQuery('imports.csvColumns', { uai, file });
  // The user's choices, once they touch one; until then the saved or suggested mapping.
  const [edited, setEdited] = useState<Partial<Record<CsvField, string>> | null>(null);
  const mapping: Partial<Record<CsvField, string>> = edited ?? columns.data?.mapping ?? {};
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const missing = REQUIRED.filter((f) => !mapping[f]);
  const save = async () => {
    if (missing.length > 0) {
      setError(s.required);
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await call('imports.saveMapping', { uai, mapping: mapping as CsvMapping });
      onSaved();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setSaving(false);
    }
  };

  const groups = ['pupil', 'guardian1', 'guardian2'];
  return (
    <Dialog open onClose={saving ? undefined : onClose} aria-labelledby="import-mapping-title" fullWidth maxWidth="md">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!saving) void save();
        }}
      >
        <DialogTitle id="import-mapping-title">{s.title}</DialogTitle>
        <DialogContent>
          {columns.loading && !columns.data && <LinearProgress aria-label={s.title} />}
          {columns.error && <Alert severity="error">{columns.error.message}</Alert>}
          {columns.data && (
            <>
              <DialogContentText sx={{ mb: 2 }}>{s.intro(columns.data.name)}</DialogContentText>
              {columns.data.sample.length > 0 && (
                <Box sx={{ overflowX: 'auto', mb: 2 }}>
                  <Table size="small" aria-label={s.sample}>
                    <TableHead>
                      <TableRow>
                        {columns.data.headers.map((h, i) => (
                          <TableCell key={`${h}-${i}`} scope="col">
                            {h}
                          </TableCell>
                        ))}
                      </TableRow>
                    </TableHead>
                    <TableBody>
                      {columns.data.sample.map((row, r) => (
                        <TableRow key={r}>
                          {row.map((cell, c) => (
                            <TableCell key={c}>{cell}</TableCell>
                          ))}
                        </TableRow>
                      ))}
                    </TableBody>
                  </Table>
                </Box>
              )}
              {groups.map((group) => (
                <Box key={group} component="fieldset" sx={{ border: 0, p: 0, m: 0, mb: 2 }}>
                  <Typography component="legend" variant="h3" sx={{ fontSize: '1.05rem', fontWeight: 600, mb: 1 }}>
                    {s.groups[group]}
                  </Typography>
                  <Box sx={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: 1.5 }}>
                    {CSV_FIELDS.filter((f) => f.startsWith(`${group}.`)).map((field) => (
                      <TextField
                        key={field}
                        select
                        size="small"
                        label={s.fields[field.split('.')[1]!] ?? field}
                        required={REQUIRED.includes(field)}
                        value={mapping[field] ?? ''}
                        onChange={(e) => setEdited({ ...mapping, [field]: e.target.value === '' ? undefined : e.target.value })}
                        slotProps={{ htmlInput: { 'data-field': field } }}
                      >
                        <MenuItem value="">{s.none}</MenuItem>
                        {columns.data!.headers.filter((h) => h !== '').map((h, i) => (
                          <MenuItem key={`${h}-${i}`} value={h}>
                            {h}
                          </MenuItem>
                        ))}
                      </TextField>
                    ))}
                  </Box>
                </Box>
              ))}
            </>
          )}
          {error && (
            <Alert severity="error" role="alert" sx={{ mt: 1 }}>
              {error}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={saving}>
            {s.cancel}
          </Button>
          <Button type="submit" variant="contained" disabled={saving || !columns.data}>
            {s.save}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
