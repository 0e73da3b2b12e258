import { type FormEvent, type ReactNode, useId, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import Paper from '@mui/material/Paper';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { isUpdateServerUrl, type LocalSettings, type SettingsView } from '../../../../shared/api/contract';
import { ScolariteService } from '../../../../shared/directory/wire';
import { call, errorMessage } from '../../api/client';
import { settingsStrings as s } from './strings';

export function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  const id = useId();
  return (
    <Paper variant="outlined" component="section" aria-labelledby={id} sx={{ p: 3, mb: 3 }} data-testid={testId}>
      <Typography variant="h2" id={id} sx={{ mb: 2 }}>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

function useSave(): { busy: boolean; error?: string; done?: string; run: (fn: () => Promise<string>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [done, setDone] = useState<string>();
  const run = async (fn: () => Promise<string>) => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await fn());
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run };
}

function Outcome({ error, done }: { error?: string; done?: string }) {
  return (
    <Box role="status" aria-live="polite" sx={{ mt: 2 }}>
      {error && <Alert severity="error">{error}</Alert>}
      {done && <Alert severity="success">{done}</Alert>}
    </Box>
  );
}

export function EstablishmentSettingsForm({ view, canEdit, onSaved }: { view: SettingsView; canEdit: boolean; onSaved: () => void }) {
  const initial = view.establishment;
  const [services, setServices] = useState(initial?.services ?? []);
  const [direct, setDirect] = useState(initial?.directCommunication ?? false);
  const [header, setHeader] = useState(initial?.letterHeader ?? '');
  const [address, setAddress] = useState(initial?.helpContact.address ?? '');
  const [phone, setPhone] = useState(initial?.helpContact.phone ?? '');
  const [hours, setHours] = useState(initial?.helpContact.hours ?? '');
  const save = useSave();
  const servicesId = useId();
  const directHelpId = useId();

  if (!initial) {
    return (
      <Section title={s.establishment.title}>
        <Alert severity="info">{s.establishment.notSynced}</Alert>
      </Section>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run(async () => {
      await call('settings.update', {
        uai: view.uai,
        patch: { services, directCommunication: direct, letterHeader: header, helpContact: { address, phone, hours } },
      });
      onSaved();
      return s.saved;
    });
  };
  return (
    <Section title={s.establishment.title} testId="establishment-settings">
      {view.pending && <Chip label={s.pending} color="warning" sx={{ mb: 2 }} />}
      <Box component="form" noValidate onSubmit={submit}>
        <Box component="fieldset" sx={{ border: 0, p: 0, m: 0, mb: 2 }} disabled={!canEdit}>
          <Typography component="legend" id={servicesId} sx={{ fontWeight: 700, mb: 1 }}>
            {s.establishment.services}
          </Typography>
          <FormGroup sx={{ display: 'grid', gridTemplateColumns: { md: '1fr 1fr' } }}>
            {ScolariteService.options.map((service) => (
              <FormControlLabel
                key={service}
                label={s.services[service]}
                control={
                  <Checkbox
                    checked={services.includes(service)}
                    disabled={!canEdit}
                    onChange={(e) => setServices((list) => (e.target.checked ? [...list, service] : list.filter((x) => x !== service)))}
                  />
                }
              />
            ))}
          </FormGroup>
        </Box>
        <FormControlLabel
          label={s.establishment.directCommunication}
          control={
            <Switch
              checked={direct}
              disabled={!canEdit}
              onChange={(e) => setDirect(e.target.checked)}
              slotProps={{ input: { 'aria-describedby': directHelpId } }}
            />
          }
        />
        <FormHelperText id={directHelpId} sx={{ mb: 2 }}>
          {s.establishment.directCommunicationHelp(view.isPrivate)}
        </FormHelperText>
        <Box sx={{ display: 'grid', gap: 2, maxWidth: 640 }}>
          <TextField label={s.establishment.letterHeader} value={header} onChange={(e) => setHeader(e.target.value)} disabled={!canEdit} multiline minRows={2} />
          <TextField label={s.establishment.helpAddress} value={address} onChange={(e) => setAddress(e.target.value)} disabled={!canEdit} />
          <TextField label={s.establishment.helpPhone} value={phone} onChange={(e) => setPhone(e.target.value)} disabled={!canEdit} />
          <TextField label={s.establishment.helpHours} value={hours} onChange={(e) => setHours(e.target.value)} disabled={!canEdit} />
        </Box>
        {canEdit && (
          <Button type="submit" variant="contained" sx={{ mt: 2 }} disabled={save.busy}>
            {save.busy ? s.saving : s.save}
          </Button>
        )}
        <Outcome error={save.error} done={save.done} />
      </Box>
    </Section>
  );
}

/** The workstation's numeric settings; the update settings have their own section (UpdatesSection.tsx). */
type NumericSetting = { [K in keyof LocalSettings]: LocalSettings[K] extends number ? K : never }[keyof LocalSettings];

const LOCAL_FIELDS: { key: NumericSetting; label: string }[] = [
  { key: 'syncIntervalMinutes', label: s.local.syncInterval },
  { key: 'inactivityMinutes', label: s.local.inactivity },
  { key: 'offlineSignInDays', label: s.local.offlineSignIn },
  { key: 'auditRetentionDays', label: s.local.auditRetention },
  { key: 'pupilRetentionDays', label: s.local.pupilRetention },
];

export function LocalSettingsForm({ view, canEdit, onSaved }: { view: SettingsView; canEdit: boolean; onSaved: () => void }) {
  const [values, setValues] = useState<Record<NumericSetting, string>>(() => {
    const out = {} as Record<NumericSetting, string>;
    for (const f of LOCAL_FIELDS) out[f.key] = String(view.local[f.key]);
    return out;
  });
  const save = useSave();
  const invalid = (v: string) => !/^\d+$/.test(v.trim());
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (LOCAL_FIELDS.some((f) => invalid(values[f.key]))) return;
    void save.run(async () => {
      const patch: Partial<LocalSettings> = {};
      for (const f of LOCAL_FIELDS) patch[f.key] = Number(values[f.key]);
      await call('settings.updateLocal', { uai: view.uai, patch });
      onSaved();
      return s.savedLocal;
    });
  };
  return (
    <Section title={s.local.title} testId="local-settings">
      <Box component="form" noValidate onSubmit={submit} sx={{ display: 'grid', gap: 2, maxWidth: 420 }}>
        {LOCAL_FIELDS.map((f) => (
          <TextField
            key={f.key}
            label={f.label}
            value={values[f.key]}
            inputMode="numeric"
            disabled={!canEdit}
            error={invalid(values[f.key])}
            helperText={invalid(values[f.key]) ? s.local.invalid : undefined}
            onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
          />
        ))}
        {canEdit && (
          <Button type="submit" variant="contained" sx={{ justifySelf: 'start' }} disabled={save.busy}>
            {save.busy ? s.saving : s.save}
          </Button>
        )}
        <Outcome error={save.error} done={save.done} />
      </Box>
    </Section>
  );
}

/** Automatic updates of the desktop app: off by default, and only with the academy's https server. */
export function UpdateSettingsForm({ view, canEdit, onSaved }: { view: SettingsView; canEdit: boolean; onSaved: () => void }) {
  const [enabled, setEnabled] = useState(view.local.updatesEnabled);
  const [server, setServer] = useState(view.local.updateServerUrl ?? '');
  const save = useSave();
  const address = server.trim();
  const serverError = address !== '' && !isUpdateServerUrl(address) ? s.updates.serverInvalid : enabled && address === '' ? s.updates.serverRequired : undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (serverError) return;
    void save.run(async () => {
      await call('settings.updateLocal', { uai: view.uai, patch: { updatesEnabled: enabled, updateServerUrl: address || null } });
      onSaved();
      return s.updates.saved;
    });
  };
  return (
    <Section title={s.updates.title} testId="update-settings">
      <Typography sx={{ mb: 2 }}>{s.updates.intro}</Typography>
      <Box component="form" noValidate onSubmit={submit} sx={{ display: 'grid', gap: 2, maxWidth: 640 }}>
        <FormControlLabel
          label={s.updates.enabled}
          control={<Switch checked={enabled} disabled={!canEdit} onChange={(e) => setEnabled(e.target.checked)} />}
        />
        <TextField
          label={s.updates.server}
          value={server}
          type="url"
          inputMode="url"
          placeholder="https://"
          disabled={!canEdit}
          error={serverError !== undefined}
          helperText={serverError ?? s.updates.serverHelp}
          onChange={(e) => setServer(e.target.value)}
        />
        {canEdit && (
          <Button type="submit" variant="contained" sx={{ justifySelf: 'start' }} disabled={save.busy}>
            {save.busy ? s.saving : s.save}
          </Button>
        )}
        <Outcome error={save.error} done={save.done} />
      </Box>
    </Section>
  );
}
