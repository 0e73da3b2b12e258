import { useId } from 'react';
import FormControl from '@mui/material/FormControl';
import InputLabel from '@mui/material/InputLabel';
import MenuItem from '@mui/material/MenuItem';
import Select from '@mui/material/Select';
import Typography from '@mui/material/Typography';
import { useEstablishment } from './EstablishmentContext';
import { establishmentStrings as s } from './strings';

/** App-bar choice of the establishment the pages work on; a white field so it reads on the blue bar. */
export function EstablishmentSwitcher() {
  const { uai, establishments, setUai, loading, error } = useEstablishment();
  const labelId = useId();
  const selectId = useId();

  if (establishments.length === 0) {
    return (
      <Typography component="p" sx={{ fontSize: '0.875rem' }} data-testid="establishment-switcher-empty">
        {loading ? s.loading : error ? `${s.loadError} : ${error.message}` : s.none}
      </Typography>
    );
  }

  return (
    <FormControl
      variant="filled"
      size="small"
      sx={{
        minWidth: 240,
        maxWidth: 420,
        '& .MuiFilledInput-root': { bgcolor: 'background.paper', '&:hover, &.Mui-focused': { bgcolor: 'background.paper' } },
      }}
    >
      <InputLabel id={labelId}>{s.label}</InputLabel>
      <Select
        labelId={labelId}
        id={selectId}
        value={uai ?? ''}
        onChange={(event) => setUai(event.target.value)}
        data-testid="establishment-switcher"
      >
        {establishments.map((e) => (
          <MenuItem key={e.uai} value={e.uai} data-uai={e.uai}>
            {s.option(e)}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}
