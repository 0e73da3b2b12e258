import { useId, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import MailOutlined from '@mui/icons-material/MailOutlined';
import type { LetterPresetInfo } from '../../../../shared/api/methods/letters';
import type { AccountKind } from '../../../../shared/domain/accounts';
import { frenchDate } from '../../../../shared/domain/letters';
import { useApiQuery } from '../../api/client';
import { Page } from '../../components/Page';
import { useEstablishment } from '../establishments/EstablishmentContext';
import { LetterBatchDialog, type LetterSelection } from './LetterBatchDialog';
import { lettersStrings as s } from './strings';

interface Batch {
  kind: AccountKind;
  selection: LetterSelection;
  title: string;
}

export function LettersPage() {
  const { uai } = useEstablishment();
  return (
    <Page title={s.title} intro={s.intro}>
      {!uai ? <Alert severity="info">{s.noEstablishment}</Alert> : <LettersArea key={uai} uai={uai} />}
    </Page>
  );
}

function Section({ title, help, children }: { title: string; help?: string; children: React.ReactNode }) {
  const id = useId();
  return (
    <Paper variant="outlined" component="section" aria-labelledby={id} sx={{ p: 3, mb: 3 }}>
      <Typography variant="h2" id={id} sx={{ mb: help ? 0.5 : 2 }}>
        {title}
      </Typography>
      {help && (
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {help}
        </Typography>
      )}
      {children}
    </Paper>
  );
}

function LettersArea({ uai }: { uai: string }) {
  const [revision, setRevision] = useState(0);
  const presets = useApiQuery('letters.presets', { uai }, [revision]);
  const [batch, setBatch] = useState<Batch | null>(null);
  return (
    <>
      <Section title={s.presets.title} help={s.presets.help}>
        {presets.error && <Alert severity="error">{presets.error.message}</Alert>}
        <Box component="ul" sx={{ listStyle: 'none', p: 0, m: 0, display: 'grid', gap: 1.5, gridTemplateColumns: { md: '1fr 1fr' } }}>
          {(presets.data?.presets ?? []).map((p) => (
            <PresetItem key={p.id} preset={p} onPrepare={() => setBatch({ kind: p.kind, selection: { query: p.query }, title: s.presets.prepareFor(p.label) })} />
          ))}
        </Box>
      </Section>
      <ByClass divisions={presets.data?.divisions} onPrepare={(kind, division) => setBatch({ kind, selection: { query: { filters: { division: [division] } } }, title: s.byClass.dialogTitle(kind, division) })} />
      <LetterLog uai={uai} revision={revision} />
      {batch && (
        <LetterBatchDialog
          open
          uai={uai}
          kind={batch.kind}
          selection={batch.selection}
          title={batch.title}
          onClose={() => setBatch(null)}
          onIssued={() => setRevision((r) => r + 1)}
        />
      )}
    </>
  );
}

function PresetItem({ preset, onPrepare }: { preset: LetterPresetInfo; onPrepare: () => void }) {
  const id = useId();
  return (
    <Paper component="li" variant="outlined" sx={{ p: 2, display: 'flex', flexDirection: 'column', gap: 1 }} aria-labelledby={id} data-testid={`preset-${preset.id}`}>
      <Typography component="h3" variant="subtitle1" id={id} sx={{ fontWeight: 700 }}>
        {preset.label}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {preset.description}
      </Typography>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, mt: 'auto' }}>
        <Typography sx={{ flexGrow: 1 }}>{s.presets.accounts(preset.count)}</Typography>
        <Button variant="contained" startIcon={<MailOutlined />} disabled={preset.count === 0} onClick={onPrepare} aria-label={s.presets.prepareFor(preset.label)}>
          {s.presets.prepare}
        </Button>
      </Box>
    </Paper>
  );
}

function ByClass({
  divisions,
  onPrepare,
}: {
  divisions: Record<AccountKind, { value: string; count: number }[]> | undefined;
  onPrepare: (kind: AccountKind, division: string) => void;
}) {
  const [kind, setKind] = useState<AccountKind>('pupil');
  const [division, setDivision] = useState('');
  const list = divisions?.[kind] ?? [];
  return (
    <Section title={s.byClass.title}>
      {divisions && list.length === 0 ? (
        <Typography>{s.byClass.none}</Typography>
      ) : (
        <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}>
          <TextField
            select
            label={s.byClass.kind}
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as AccountKind);
              setDivision('');
            }}
            slotProps={{ select: { native: true } }}
            sx={{ minWidth: 200 }}
          >
            <option value="pupil">{s.byClass.kinds.pupil}</option>
            <option value="guardian">{s.byClass.kinds.guardian}</option>
          </TextField>
          <TextField
            select
            label={s.byClass.division}
            value={division}
            onChange={(e) => setDivision(e.target.value)}
            slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
            sx={{ minWidth: 200 }}
          >
            <option value="">{s.byClass.chooseDivision}</option>
            {list.map((d) => (
              <option key={d.value} value={d.value}>
                {`${d.value} (${d.count.toLocaleString('fr-FR')})`}
              </option>
            ))}
          </TextField>
          <Button variant="outlined" startIcon={<MailOutlined />} disabled={division === ''} onClick={() => onPrepare(kind, division)}>
            {s.byClass.prepare}
          </Button>
        </Box>
      )}
    </Section>
  );
}

const dateTime = (iso: string) => new Date(iso).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' });

function LetterLog({ uai, revision }: { uai: string; revision: number }) {
  const log = useApiQuery('letters.log', { uai, limit: 50 }, [revision]);
  const items = log.data?.items ?? [];
  return (
    <Section title={s.log.title} help={s.log.help}>
      {log.error && <Alert severity="error">{log.error.message}</Alert>}
      {log.data && items.length === 0 ? (
        <Typography>{s.log.empty}</Typography>
      ) : (
        <TableContainer>
          <Table size="small" data-testid="letters-log">
            <caption>{s.log.caption}</caption>
            <TableHead>
              <TableRow>
                {Object.values(s.log.columns).map((c) => (
                  <TableCell key={c}>{c}</TableCell>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {items.map((b) => (
                <TableRow key={b.batchId}>
                  <TableCell>{dateTime(b.startedAt)}</TableCell>
                  <TableCell>{b.operator ?? '—'}</TableCell>
                  <TableCell>{s.log.kinds[b.kind]}</TableCell>
                  <TableCell>{b.accounts.length.toLocaleString('fr-FR')}</TableCell>
                  <TableCell>{b.validUntil ? frenchDate(new Date(b.validUntil)) : '—'}</TableCell>
                  <TableCell sx={{ wordBreak: 'break-all' }}>{b.files.map((f) => f.split(/[\\/]/).pop()).join(', ') || '—'}</TableCell>
                  <TableCell>{s.log.states[b.state]}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Section>
  );
}
