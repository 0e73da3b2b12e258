import { type FormEvent, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { DELEGABLE_RIGHTS, type DelegableRight } from '../../../../shared/api/contract';
import { call, errorMessage, useApiQuery } from '../../api/client';
import { Section } from './SettingsForms';
import { settingsStrings as s } from './strings';

const frDate = (iso: string) => iso.split('-').reverse().join('/');

export function DelegationsSection({ uai }: { uai: string }) {
  const list = useApiQuery('delegations.list', { uai }, [uai]);
  const [login, setLogin] = useState('');
  const [rights, setRights] = useState<DelegableRight[]>([]);
  const [endsOn, setEndsOn] = useState('');
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const [busy, setBusy] = useState(false);
  const known = (list.data?.operators ?? []).filter((o) => o.role === 'delegue').map((o) => o.login).join(', ');

  const act = async (fn: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await fn());
      list.reload();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const grant = (event: FormEvent) => {
    event.preventDefault();
    void act(async () => {
      const d = await call('delegations.grant', { uai, login: login.trim(), rights, endsOn: endsOn || undefined });
      setLogin('');
      setRights([]);
      return s.delegations.granted(d.login);
    });
  };

  return (
    <Section title={s.delegations.title} testId="delegations">
      <Typography color="text.secondary" sx={{ mb: 2 }}>
        {s.delegations.intro}
      </Typography>
      {list.error && <Alert severity="error">{list.error.message}</Alert>}
      <Box sx={{ overflowX: 'auto', mb: 3 }}>
        <Table size="small">
          <caption>{s.delegations.caption}</caption>
          <TableHead>
            <TableRow>
              {Object.values(s.delegations.columns).map((c) => (
                <TableCell key={c} component="th" scope="col">
                  {c}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {(list.data?.items ?? []).length === 0 && (
              <TableRow>
                <TableCell colSpan={6}>{s.delegations.none}</TableCell>
              </TableRow>
            )}
            {(list.data?.items ?? []).map((d) => (
              <TableRow key={d.id} data-testid="delegation-row" data-status={d.status}>
                <TableCell component="th" scope="row">
                  {d.displayName ? `${d.displayName} (${d.login})` : d.login}
                </TableCell>
                <TableCell>{d.rights.map((r) => s.rights[r]).join(', ')}</TableCell>
                <TableCell>{frDate(d.endsOn)}</TableCell>
                <TableCell>{s.delegations.status[d.status]}</TableCell>
                <TableCell>{d.grantedBy}</TableCell>
                <TableCell>
                  {d.status !== 'revoked' && (
                    <Button
                      size="small"
                      disabled={busy}
                      aria-label={s.delegations.revokeFor(d.login)}
                      onClick={() => void act(async () => (await call('delegations.revoke', { id: d.id }), s.delegations.revoked(d.login)))}
                    >
                      {s.delegations.revoke}
                    </Button>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      <Typography variant="h3" sx={{ fontSize: '1.1rem', mb: 1 }}>
        {s.delegations.grantTitle}
      </Typography>
      <Box component="form" noValidate onSubmit={grant} sx={{ display: 'grid', gap: 2, maxWidth: 640 }}>
        <TextField label={s.delegations.login} value={login} onChange={(e) => setLogin(e.target.value)} helperText={s.delegations.loginHelp(known)} required />
        <Box component="fieldset" sx={{ border: 0, p: 0, m: 0 }}>
          <Typography component="legend" sx={{ fontWeight: 700 }}>
            {s.delegations.rights}
          </Typography>
          <FormGroup sx={{ display: 'grid', gridTemplateColumns: { md: '1fr 1fr' } }}>
            {DELEGABLE_RIGHTS.map((r) => (
              <FormControlLabel
                key={r}
                label={s.rights[r]}
                control={<Checkbox checked={rights.includes(r)} onChange={(e) => setRights((l) => (e.target.checked ? [...l, r] : l.filter((x) => x !== r)))} />}
              />
            ))}
          </FormGroup>
        </Box>
        <TextField
          label={s.delegations.endsOn}
          type="date"
          value={endsOn || list.data?.defaultEndsOn || ''}
          onChange={(e) => setEndsOn(e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <Button type="submit" variant="contained" disabled={busy} sx={{ justifySelf: 'start' }}>
          {s.delegations.grant}
        </Button>
        <Box role="status" aria-live="polite">
          {error && <Alert severity="error">{error}</Alert>}
          {done && <Alert severity="success">{done}</Alert>}
        </Box>
      </Box>
    </Section>
  );
}
