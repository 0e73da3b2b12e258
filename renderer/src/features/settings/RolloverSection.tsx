import { useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import type { RolloverPreview } from '../../../../shared/api/contract';
import { call, errorMessage } from '../../api/client';
import { Section } from './SettingsForms';
import { settingsStrings as s } from './strings';

const frDate = (iso: string) => iso.split('-').reverse().join('/');

export function RolloverSection({ uai }: { uai: string }) {
  const [preview, setPreview] = useState<RolloverPreview>();
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();

  const load = async () => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    setConfirmed(false);
    try {
      setPreview(await call('rollover.preview', { uai }));
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  const run = async () => {
    if (!preview) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await call('rollover.run', { uai, planId: preview.planId });
      const history = r.purged.outboxPayloads + r.purged.accountActions + r.purged.reviewItems + r.purged.backups;
      setDone(s.rollover.done(r.pupilsDeleted, r.auditDeleted, r.delegationsEnded, history));
      setPreview(undefined);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={s.rollover.title} testId="rollover">
      <Typography color="text.secondary" sx={{ mb: 2, maxWidth: '70ch' }}>
        {s.rollover.intro}
      </Typography>
      <Button variant="outlined" onClick={() => void load()} disabled={busy}>
        {s.rollover.preview}
      </Button>
      {preview && (
        <Box sx={{ mt: 2 }} data-testid="rollover-preview">
          <Typography sx={{ fontWeight: 700, mb: 1 }}>
            {s.rollover.summary(preview.pupils.length, preview.audit.count, preview.delegations.length)}
          </Typography>
          <Typography sx={{ mb: 1 }}>{s.rollover.related(preview.related.accounts, preview.related.links, preview.related.identityChanges)}</Typography>
          <Typography>{s.rollover.historyTitle(frDate(preview.audit.before), preview.auditRetentionDays)}</Typography>
          <Box component="ul" sx={{ mt: 0.5, mb: 2 }} data-testid="rollover-history">
            <li>{s.rollover.history.establishmentAudit(preview.audit.establishment)}</li>
            <li>{s.rollover.history.workstationAudit(preview.audit.workstation)}</li>
            <li>{s.rollover.history.outboxPayloads(preview.history.outboxPayloads)}</li>
            <li>{s.rollover.history.accountActions(preview.history.accountActions)}</li>
            <li>{s.rollover.history.reviewItems(preview.history.reviewItems)}</li>
            <li>{s.rollover.history.backups(preview.history.backups)}</li>
          </Box>
          {preview.pupils.length > 0 && (
            <Box sx={{ maxHeight: 320, overflow: 'auto', mb: 2 }} tabIndex={0} role="region" aria-label={s.rollover.pupilsCaption}>
              <Table size="small">
                <caption>{s.rollover.pupilsCaption}</caption>
                <TableHead>
                  <TableRow>
                    {Object.values(s.rollover.columns).map((c) => (
                      <TableCell key={c} component="th" scope="col">
                        {c}
                      </TableCell>
                    ))}
                  </TableRow>
                </TableHead>
                <TableBody>
                  {preview.pupils.map((p) => (
                    <TableRow key={p.id}>
                      <TableCell component="th" scope="row">
                        {p.name}
                      </TableCell>
                      <TableCell>{p.division ?? '—'}</TableCell>
                      <TableCell>{frDate(p.leftDate)}</TableCell>
                    </TableRow>
                  ))}
                </TableBody>
              </Table>
            </Box>
          )}
          <FormControlLabel control={<Checkbox checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />} label={s.rollover.confirm} />
          <Box>
            <Button variant="contained" color="error" disabled={!confirmed || busy} onClick={() => void run()}>
              {s.rollover.run}
            </Button>
          </Box>
        </Box>
      )}
      <Box role="status" aria-live="polite" sx={{ mt: 2 }}>
        {error && <Alert severity="error">{error}</Alert>}
        {done && <Alert severity="success">{done}</Alert>}
      </Box>
    </Section>
  );
}
