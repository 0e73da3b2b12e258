import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';

export type ExportFormat = 'xlsx' | 'csv';

export interface ExportFileLabels {
  format: string;
  xlsx: string;
  csv: string;
  path: string;
  pathHelp: string;
}

/**
 * The fields of an export dialog: the format (.xlsx or CSV) and the absolute path of the file to write. Changing the
 * format also changes a matching extension already typed in the path. Texts come from the calling feature.
 */
export function ExportFileFields({ labels, format, path, onFormat, onPath, disabled }: {
  labels: ExportFileLabels;
  format: ExportFormat;
  path: string;
  onFormat: (format: ExportFormat) => void;
  onPath: (path: string) => void;
  disabled?: boolean;
}) {
  return (
    <>
      <RadioGroup
        aria-label={labels.format}
        value={format}
        onChange={(e) => {
          const next = e.target.value as ExportFormat;
          onFormat(next);
          onPath(path.replace(/\.(xlsx|csv)$/i, `.${next}`));
        }}
        sx={{ my: 1 }}
      >
        <FormControlLabel value="xlsx" control={<Radio />} label={labels.xlsx} disabled={disabled} />
        <FormControlLabel value="csv" control={<Radio />} label={labels.csv} disabled={disabled} />
      </RadioGroup>
      <TextField label={labels.path} helperText={labels.pathHelp} value={path} onChange={(e) => onPath(e.target.value)} fullWidth required disabled={disabled} />
    </>
  );
}
