import { type FormEvent, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { AuditEntry, AuditFilter } from '../../../../shared/api/contract';
import { call, errorMessage, useApiQuery } from '../../api/client';
import { ExportFileFields, useOverwriteConfirmation } from '../../components/ExportFileFields';
import { componentStrings } from '../../components/strings';
import { Page } from '../../components/Page';
import { useEstablishment } from '../establishments/EstablishmentContext';
import { auditStrings as s } from './strings';

const PAGE = 50;

function change(e: AuditEntry): string {
  const parts: string[] = [];
  if (e.before !== null) parts.push(`avant ${JSON.stringify(e.before)}`);
  if (e.after !== null) parts.push(`après ${JSON.stringify(e.after)}`);
  if (e.reason) parts.push(`motif : ${e.reason}`);
  return parts.join(' ; ');
}

export function AuditPage() {
  const { uai } = useEstablishment();
  const [draft, setDraft] = useState({ operator: '', method: '', outcome: '', from: '', to: '' });
  const [filter, setFilter] = useState<AuditFilter>({});
  const [offset, setOffset] = useState(0);
  const scoped: AuditFilter = { ...filter, ...(uai ? { uai } : {}) };
  const page = useApiQuery('audit.list', { ...scoped, offset, limit: PAGE }, [uai]);
  const [verify, setVerify] = useState<{ ok: boolean; text: string; problems?: string[] }>();
  const [verifying, setVerifying] = useState(false);
  const [path, setPath] = useState('');
  const [exportMsg, setExportMsg] = useState<{ severity: 'success' | 'info' | 'error'; text: string }>();
  const overwrite = useOverwriteConfirmation();

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const next: AuditFilter = {};
    if (draft.operator.trim()) next.operator = draft.operator.trim();
    if (draft.method.trim()) next.method = draft.method.trim();
    if (draft.outcome) next.outcome = draft.outcome as AuditFilter['outcome'];
    if (draft.from) next.from = draft.from;
    if (draft.to) next.to = draft.to;
    setFilter(next);
    setOffset(0);
  };

  const runVerify = async () => {
    setVerifying(true);
    try {
      const r = await call('audit.verify', {});
      setVerify(r.ok ? { ok: true, text: s.verifyOk(r.entries, r.purged) } : { ok: false, text: s.verifyBad(r.problems.length), problems: r.problems });
    } catch (caught) {
      setVerify({ ok: false, text: errorMessage(caught) });
    } finally {
      setVerifying(false);
    }
  };

  const runExport = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const r = await overwrite.send((replace) => call('audit.export', { ...scoped, path: path.trim(), overwrite: replace }));
      setExportMsg(r === null ? { severity: 'info', text: componentStrings.exportFile.kept } : { severity: 'success', text: s.exported(r.rows, r.path) });
    } catch (caught) {
      setExportMsg({ severity: 'error', text: errorMessage(caught) });
    }
  };

  const total = page.data?.total ?? 0;
  return (
    <Page
      title={s.title}
      intro={s.intro}
      actions={
        <Button variant="outlined" onClick={() => void runVerify()} disabled={verifying}>
          {verifying ? s.verifying : s.verify}
        </Button>
      }
    >
      <Box role="status" aria-live="polite" sx={{ mb: verify ? 2 : 0 }} data-testid="audit-verify">
        {verify && (
          <Alert severity={verify.ok ? 'success' : 'error'}>
            {verify.text}
            {verify.problems && verify.problems.length > 0 && (
              <Box component="ul" sx={{ m: 0, mt: 1, pl: 3 }}>
                {verify.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </Box>
            )}
          </Alert>
        )}
      </Box>
      <Paper variant="outlined" component="form" aria-label={s.filters} onSubmit={apply} noValidate sx={{ p: 2, mb: 2, display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}>
        <TextField size="small" label={s.operator} value={draft.operator} onChange={(e) => setDraft({ ...draft, operator: e.target.value })} />
        <TextField size="small" label={s.method} value={draft.method} onChange={(e) => setDraft({ ...draft, method: e.target.value })} />
        <TextField size="small" select label={s.outcome} value={draft.outcome} onChange={(e) => setDraft({ ...draft, outcome: e.target.value })} sx={{ minWidth: 140 }}>
          <MenuItem value="">{s.outcomeAll}</MenuItem>
          {(['ok', 'refused', 'error'] as const).map((o) => (
            <MenuItem key={o} value={o}>
              {s.outcomes[o]}
            </MenuItem>
          ))}
        </TextField>
        <TextField size="small" type="date" label={s.from} value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} slotProps={{ inputLabel: { shrink: true } }} />
        <TextField size="small" type="date" label={s.to} value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} slotProps={{ inputLabel: { shrink: true } }} />
        <Button type="submit" variant="contained">
          {s.apply}
        </Button>
      </Paper>
      {page.error && <Alert severity="error">{page.error.message}</Alert>}
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" data-testid="audit-table">
          <caption>{s.caption(total)}</caption>
          <TableHead>
            <TableRow>
              {Object.values(s.columns).map((c) => (
                <TableCell key={c} component="th" scope="col">
                  {c}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {page.data?.items.length === 0 && (
              <TableRow>
                <TableCell colSpan={6}>{s.none}</TableCell>
              </TableRow>
            )}
            {page.data?.items.map((e) => (
              <TableRow key={e.id} data-testid="audit-row">
                <TableCell>{new Date(e.at).toLocaleString('fr-FR')}</TableCell>
                <TableCell>{e.operator ?? s.system}</TableCell>
                <TableCell>{e.method}</TableCell>
                <TableCell>{[e.uai, e.targetType, e.targetId].filter(Boolean).join(' · ')}</TableCell>
                <TableCell sx={{ maxWidth: 360, wordBreak: 'break-word' }}>{change(e)}</TableCell>
                <TableCell>{s.outcomes[e.outcome]}{e.errorCode ? ` (${e.errorCode})` : ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', my: 2 }}>
        <Button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          {s.previous}
        </Button>
        <Typography>{total ? s.page(offset + 1, Math.min(offset + PAGE, total), total) : ''}</Typography>
        <Button disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
          {s.next}
        </Button>
      </Box>
      <Paper variant="outlined" component="form" aria-label={s.exportTitle} onSubmit={(e: FormEvent) => void runExport(e)} noValidate sx={{ p: 2, display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}>
        <Typography variant="h2" sx={{ fontSize: '1.1rem', width: '100%' }}>
          {s.exportTitle}
        </Typography>
        <Box sx={{ flex: '1 1 480px' }}>
          <ExportFileFields
            labels={{ path: s.exportPath }}
            formats={['xlsx']}
            format="xlsx"
            path={path}
            onFormat={() => undefined}
            onPath={setPath}
            target={{ name: 'audit', uai: uai ?? undefined }}
          />
        </Box>
        <Button type="submit" variant="outlined" disabled={path.trim() === ''}>
          {s.export}
        </Button>
        <Box role="status" aria-live="polite" sx={{ width: '100%' }}>
          {exportMsg && <Alert severity={exportMsg.severity}>{exportMsg.text}</Alert>}
        </Box>
      </Paper>
      {overwrite.dialog}
    </Page>
  );
}
