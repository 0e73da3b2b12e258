import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Divider from '@mui/material/Divider';
import Drawer from '@mui/material/Drawer';
import IconButton from '@mui/material/IconButton';
import LinearProgress from '@mui/material/LinearProgress';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import CloseOutlined from '@mui/icons-material/CloseOutlined';
import type { AccountDetail } from '../../../../shared/api/methods/accounts';
import { displayName, type AccountKind } from '../../../../shared/domain/accounts';
import { call, errorMessage, useApiQuery } from '../../api/client';
import { PendingBadge } from '../../components/PendingBadge';
import { LetterBatchDialog } from '../letters/LetterBatchDialog';
import { lettersStrings } from '../letters/strings';
import { accountsStrings as s, ATTENTION_LABELS, STATE_LABELS } from './strings';

const IDENTITY_FIELDS = ['lastName', 'usageName', 'firstName', 'firstName2', 'birthDate', 'sex', 'birthCity', 'ine', 'division', 'mefLabel', 'email', 'mobile', 'phoneHome', 'phoneWork'];

const show = (value: unknown): string => (value === null || value === undefined || value === '' ? s.none : String(value));
/** The name the lists show (usage name first), so the drawer is the row that was opened. */
const personName = (detail: AccountDetail) => {
  const { lastName, usageName, firstName } = detail.directoryRecord.data as { lastName?: string; usageName?: string | null; firstName?: string };
  return displayName(show(lastName), usageName, show(firstName));
};
const dateTime = (iso: string | null) => (iso ? new Date(iso).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short' }) : s.none);

interface DrawerProps {
  kind: AccountKind;
  uai: string;
  id: string;
  revision: number;
  onClose: () => void;
  onChanged: () => void;
}

/** The account's detail beside the list: identity, account, family, pending actions and history, with the actions. */
export function AccountDetailDrawer({ kind, uai, id, revision, onClose, onChanged }: DrawerProps) {
  const [local, setLocal] = useState(0);
  const { data, error, loading } = useApiQuery('accounts.get', { kind, uai, id }, [revision, local]);
  const changed = () => {
    setLocal((n) => n + 1);
    onChanged();
  };
  return (
    <Drawer anchor="right" open onClose={onClose} slotProps={{ paper: { sx: { width: { xs: '100%', md: 720 }, p: 3 }, role: 'dialog', 'aria-labelledby': 'detail-title' } as object }}>
      <Box sx={{ display: 'flex', alignItems: 'center', mb: 2 }}>
        <Typography variant="h2" id="detail-title" sx={{ flexGrow: 1 }}>
          {data ? personName(data) : s.detail.title}
        </Typography>
        <IconButton onClick={onClose} aria-label={s.detail.close}>
          <CloseOutlined />
        </IconButton>
      </Box>
      {loading && !data && <LinearProgress aria-label={s.loading} />}
      {error && <Alert severity="error">{error.message}</Alert>}
      {data && <DetailBody detail={data} onChanged={changed} />}
    </Drawer>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  const id = `detail-${title.replace(/\W+/g, '-')}`;
  return (
    <Box component="section" aria-labelledby={id} sx={{ mb: 3 }}>
      <Typography variant="h3" id={id} sx={{ fontSize: '1.1rem', fontWeight: 600, mb: 1 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

function DetailBody({ detail, onChanged }: { detail: AccountDetail; onChanged: () => void }) {
  const a = detail.account;
  const pending = detail.pending.filter((p) => p.state === 'pending' || p.state === 'in_flight');
  const problems = detail.pending.filter((p) => p.state === 'conflict' || p.state === 'failed');
  const d = detail.directoryRecord.data;
  const fields = IDENTITY_FIELDS.filter((f) => f in d || (detail.schoolRecord && f in detail.schoolRecord));
  return (
    <>
      {detail.attention.length > 0 && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          {detail.attention.map((k) => ATTENTION_LABELS[k]).join(' · ')}
        </Alert>
      )}
      {problems.map((p) => (
        <Alert key={p.outboxId} severity="error" sx={{ mb: 2 }} data-testid="detail-conflict">
          <strong>{p.state === 'conflict' ? s.detail.conflictTitle : s.detail.failed}</strong> — {p.lastError}
          {p.current !== null && (
            <>
              <br />
              {s.detail.conflictBody}
              <Box component="pre" sx={{ whiteSpace: 'pre-wrap', fontSize: '0.8rem', m: 0 }}>
                {JSON.stringify((p.current as { data?: unknown }).data ?? p.current, null, 2)}
              </Box>
            </>
          )}
        </Alert>
      ))}
      <Actions detail={detail} onChanged={onChanged} />
      <Section title={s.detail.account}>
        {a ? (
          <Table size="small" aria-label={s.detail.account}>
            <TableBody>
              <Row label={s.detail.fields.login!} value={a.login} />
              <TableRow>
                <TableCell component="th" scope="row">{s.detail.fields.state}</TableCell>
                <TableCell data-testid="detail-state">
                  <Box sx={{ display: 'flex', gap: 1, alignItems: 'center' }}>
                    {STATE_LABELS[a.state]}
                    {pending.length > 0 && <PendingBadge />}
                  </Box>
                </TableCell>
              </TableRow>
              <Row label={s.detail.fields.notifiedAt!} value={dateTime(a.notifiedAt)} />
              <Row label={s.detail.fields.letterExpiresAt!} value={dateTime(a.letterExpiresAt)} />
              <Row label={s.detail.fields.activatedAt!} value={dateTime(a.activatedAt)} />
              <Row label={s.detail.fields.activationMethod!} value={show(a.activationMethod)} />
              <Row label={s.detail.fields.lastLoginAt!} value={dateTime(a.lastLoginAt)} />
              {a.lockedUntil && <Row label={s.detail.fields.lockedUntil!} value={dateTime(a.lockedUntil)} />}
              <Row label={s.detail.fields.email!} value={a.email ? `${a.email} (${a.emailConfirmed ? s.detail.confirmed : s.detail.unconfirmed})` : s.none} />
              <Row label={s.detail.fields.mobile!} value={a.mobile ? `${a.mobile} (${a.mobileConfirmed ? s.detail.confirmed : s.detail.unconfirmed})` : s.none} />
              <Row label={s.detail.fields.lettersSent!} value={String(a.lettersSent)} />
            </TableBody>
          </Table>
        ) : (
          <Typography>{s.detail.noAccount}</Typography>
        )}
      </Section>
      <Section title={s.detail.identity}>
        <Table size="small" aria-label={s.detail.identity}>
          <TableHead>
            <TableRow>
              <TableCell />
              <TableCell>{s.detail.directoryRecord}</TableCell>
              <TableCell>{s.detail.schoolRecord}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {fields.map((f) => (
              <TableRow key={f}>
                <TableCell component="th" scope="row">{s.detail.fields[f] ?? f}</TableCell>
                <TableCell>{show(d[f])}</TableCell>
                <TableCell>{detail.schoolRecord ? show(detail.schoolRecord[f]) : ''}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
        {!detail.schoolRecord && <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }}>{s.detail.noSchoolRecord}</Typography>}
      </Section>
      <Family detail={detail} onChanged={onChanged} />
      <Section title={s.detail.history}>
        {detail.history.length === 0 ? (
          <Typography>{s.detail.noHistory}</Typography>
        ) : (
          <Box component="ul" sx={{ pl: 2, m: 0 }}>
            {detail.history.map((h, i) => (
              <li key={i}>
                {dateTime(h.at)} — {h.label}
                {h.outcome ? ` (${h.outcome})` : ''}
                {h.operator ? ` — ${h.operator}` : ''}
                {h.reason ? ` — « ${h.reason} »` : ''}
              </li>
            ))}
          </Box>
        )}
      </Section>
    </>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <TableRow>
      <TableCell component="th" scope="row" sx={{ width: '40%' }}>{label}</TableCell>
      <TableCell>{value}</TableCell>
    </TableRow>
  );
}

function Family({ detail, onChanged }: { detail: AccountDetail; onChanged: () => void }) {
  const [unlinking, setUnlinking] = useState<{ linkId: string; name: string } | null>(null);
  const [error, setError] = useState<string>();
  const unlink = async () => {
    if (!unlinking) return;
    try {
      await call('accounts.unlink', { uai: detail.uai, linkId: unlinking.linkId });
      setUnlinking(null);
      onChanged();
    } catch (caught) {
      setError(errorMessage(caught));
    }
  };
  const pendingLink = (linkId: string | null) => linkId !== null && detail.pending.some((p) => p.targetId === linkId && (p.state === 'pending' || p.state === 'in_flight'));
  return (
    <Section title={s.detail.family}>
      <Typography variant="subtitle2">{s.detail.guardians}</Typography>
      <Box component="ul" sx={{ pl: 2, mt: 0 }}>
        {detail.family.guardians.map((g) => (
          <li key={g.linkId}>
            {g.displayName} — {g.levelLabel}, {g.relationshipLabel} — {STATE_LABELS[g.state]} {pendingLink(g.linkId) && <PendingBadge />}
          </li>
        ))}
      </Box>
      <Typography variant="subtitle2">{s.detail.pupils[detail.kind]}</Typography>
      <Box component="ul" sx={{ pl: 2, mt: 0 }}>
        {detail.family.pupils.map((p) => (
          <li key={p.id}>
            {p.displayName} ({show(p.division)}){p.relationshipLabel ? ` — ${p.relationshipLabel}` : ''} — {STATE_LABELS[p.state]}{' '}
            {pendingLink(p.linkId) && <PendingBadge />}
            {detail.kind === 'guardian' && p.linkId && !pendingLink(p.linkId) && (
              <Button size="small" onClick={() => setUnlinking({ linkId: p.linkId!, name: p.displayName })}>
                {s.detail.actions.unlink}
              </Button>
            )}
          </li>
        ))}
      </Box>
      {detail.kind === 'guardian' && <LinkPupil detail={detail} onChanged={onChanged} />}
      <Dialog open={unlinking !== null} onClose={() => setUnlinking(null)} aria-labelledby="unlink-title">
        <DialogTitle id="unlink-title">{unlinking ? s.detail.unlinkConfirm(unlinking.name) : ''}</DialogTitle>
        <DialogContent>{error && <Alert severity="error">{error}</Alert>}</DialogContent>
        <DialogActions>
          <Button onClick={() => setUnlinking(null)}>{s.detail.cancel}</Button>
          <Button variant="contained" onClick={() => void unlink()}>{s.detail.confirm}</Button>
        </DialogActions>
      </Dialog>
    </Section>
  );
}

interface PupilOption {
  id: string;
  displayName: string;
  division: string | null;
  ine: string | null;
}

/** Pupils of the establishment matching what is typed (name or INE), asked of accounts.search after a short pause. */
function usePupilSearch(uai: string, text: string): { options: PupilOption[]; loading: boolean } {
  const [result, setResult] = useState<{ text: string; options: PupilOption[] }>({ text: '', options: [] });
  const wanted = text.trim();
  useEffect(() => {
    if (wanted.length < 2) return undefined;
    let live = true;
    const timer = setTimeout(() => {
      call('accounts.search', { kind: 'pupil', uai, text: wanted, limit: 20 })
        .then((page) => {
          if (live) setResult({ text: wanted, options: page.rows.map((r) => ({ id: r.id, displayName: r.displayName, division: r.division, ine: r.ine })) });
        })
        .catch(() => {
          if (live) setResult({ text: wanted, options: [] });
        });
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [uai, wanted]);
  const current = wanted.length >= 2 && result.text === wanted;
  return { options: current ? result.options : [], loading: wanted.length >= 2 && !current };
}

function LinkPupil({ detail, onChanged }: { detail: AccountDetail; onChanged: () => void }) {
  const [open, setOpen] = useState(false);
  const [pupil, setPupil] = useState<PupilOption | null>(null);
  const [text, setText] = useState('');
  const [level, setLevel] = useState<1 | 2 | 3>(1);
  const [relationship, setRelationship] = useState('10');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const { options, loading } = usePupilSearch(detail.uai, pupil ? '' : text);
  const linked = new Set(detail.family.pupils.map((p) => p.id));
  const close = () => {
    setOpen(false);
    setPupil(null);
    setText('');
    setError(undefined);
  };
  const run = async () => {
    if (!pupil) return;
    setBusy(true);
    try {
      await call('accounts.link', { uai: detail.uai, guardianId: detail.id, pupilId: pupil.id, level, relationship: relationship as '10' });
      close();
      onChanged();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" variant="outlined" onClick={() => setOpen(true)}>{s.detail.actions.link}</Button>
      <Dialog open={open} onClose={close} aria-labelledby="link-title" fullWidth maxWidth="sm">
        <DialogTitle id="link-title">{s.detail.actions.link}</DialogTitle>
        <DialogContent sx={{ display: 'grid', gap: 2, pt: 1 }}>
          <Autocomplete<PupilOption>
            value={pupil}
            onChange={(_event, value) => setPupil(value)}
            inputValue={text}
            onInputChange={(_event, value) => setText(value)}
            options={pupil ? [pupil, ...options.filter((o) => o.id !== pupil.id)] : options}
            // The core already matched the text (accents, case, INE): no second filter here.
            filterOptions={(all) => all}
            getOptionLabel={(o) => o.displayName}
            isOptionEqualToValue={(a, b) => a.id === b.id}
            getOptionDisabled={(o) => linked.has(o.id)}
            loading={loading}
            loadingText={s.detail.linkSearching}
            noOptionsText={text.trim().length < 2 ? s.detail.linkTypeMore : s.detail.linkNoPupil}
            openText={s.detail.autocomplete.open}
            closeText={s.detail.autocomplete.close}
            clearText={s.detail.autocomplete.clear}
            autoHighlight
            renderOption={({ key, ...props }, o) => (
              <li key={key} {...props} data-testid="pupil-option">
                <Box>
                  <Typography>{o.displayName}{linked.has(o.id) ? ` (${s.detail.linkAlready})` : ''}</Typography>
                  <Typography variant="body2" color="text.secondary">{s.detail.linkOption(o.division, o.ine)}</Typography>
                </Box>
              </li>
            )}
            renderInput={(params) => (
              <TextField {...params} label={s.detail.linkPupil} helperText={s.detail.linkPupilHelp} required sx={{ mt: 1 }} autoFocus />
            )}
          />
          <TextField select label={s.detail.linkLevel} value={level} onChange={(e) => setLevel(Number(e.target.value) as 1)} slotProps={{ select: { native: true } }}>
            {[1, 2, 3].map((l) => <option key={l} value={l}>{s.levels[l]}</option>)}
          </TextField>
          <TextField select label={s.detail.linkRelationship} value={relationship} onChange={(e) => setRelationship(e.target.value)} slotProps={{ select: { native: true } }}>
            {Object.entries(s.relationships).map(([code, label]) => <option key={code} value={code}>{label}</option>)}
          </TextField>
          {error && <Alert severity="error">{error}</Alert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{s.detail.cancel}</Button>
          <Button variant="contained" onClick={() => void run()} disabled={pupil === null || busy}>{s.detail.confirm}</Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

type Dialogs = 'reset' | 'deactivate' | 'reactivate' | 'contact' | null;

function Actions({ detail, onChanged }: { detail: AccountDetail; onChanged: () => void }) {
  const a = detail.account;
  const [dialog, setDialog] = useState<Dialogs>(null);
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const [email, setEmail] = useState(a?.email ?? '');
  const [mobile, setMobile] = useState(a?.mobile ?? '');
  const [secret, setSecret] = useState<{ login: string; temporaryPassword: string; letterExpiresAt: string | null } | null>(null);
  const [letter, setLetter] = useState(false);
  if (!a) return null;
  const target = { kind: detail.kind, uai: detail.uai, id: detail.id };
  const waiting = detail.pending.some((p) => p.targetType === 'account' && (p.state === 'pending' || p.state === 'in_flight'));
  const act = async (run: () => Promise<unknown>, keepOpen = false) => {
    setBusy(true);
    setError(undefined);
    try {
      await run();
      if (!keepOpen) {
        setDialog(null);
        setNotice(s.detail.queued);
      }
      onChanged();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setDialog(null);
    setSecret(null);
    setError(undefined);
    setReason('');
  };
  const gone = a.state === 'supprime';
  return (
    <Box sx={{ mb: 3 }}>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 1 }}>
        <Button variant="outlined" disabled={waiting || gone || a.state === 'desactive'} onClick={() => setLetter(true)} data-testid="action-letter">
          {lettersStrings.fromAccounts.one}
        </Button>
        <Button variant="outlined" disabled={waiting || gone || a.state === 'desactive'} onClick={() => setDialog('reset')}>{s.detail.actions.reset}</Button>
        {a.state === 'bloque' && (
          <Button variant="contained" disabled={waiting || busy} onClick={() => void act(() => call('accounts.unlock', target))} data-testid="action-unlock">
            {s.detail.actions.unlock}
          </Button>
        )}
        {a.state === 'desactive' ? (
          <Button variant="outlined" disabled={waiting} onClick={() => setDialog('reactivate')}>{s.detail.actions.reactivate}</Button>
        ) : (
          <Button variant="outlined" disabled={waiting || gone} onClick={() => setDialog('deactivate')}>{s.detail.actions.deactivate}</Button>
        )}
        <Button variant="outlined" disabled={waiting || gone} onClick={() => setDialog('contact')}>{s.detail.actions.editContact}</Button>
      </Box>
      {notice && !error && <Alert severity="info" sx={{ mt: 1 }} role="status">{notice}</Alert>}
      {error && dialog === null && <Alert severity="error" sx={{ mt: 1 }}>{error}</Alert>}

      <Dialog open={dialog === 'deactivate' || dialog === 'reactivate'} onClose={close} aria-labelledby="reason-title">
        <DialogTitle id="reason-title">{s.detail.reasonTitle(dialog === 'reactivate' ? s.detail.actions.reactivate : s.detail.actions.deactivate)}</DialogTitle>
        <DialogContent>
          <TextField label={s.detail.reason} value={reason} onChange={(e) => setReason(e.target.value)} fullWidth required sx={{ mt: 1 }} multiline />
          {error && <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{s.detail.cancel}</Button>
          <Button
            variant="contained"
            disabled={busy || reason.trim().length < 3}
            onClick={() => void act(() => call(dialog === 'reactivate' ? 'accounts.reactivate' : 'accounts.deactivate', { ...target, reason }))}
          >
            {s.detail.confirm}
          </Button>
        </DialogActions>
      </Dialog>

      <Dialog open={dialog === 'contact'} onClose={close} aria-labelledby="contact-title">
        <DialogTitle id="contact-title">{s.detail.actions.editContact}</DialogTitle>
        <DialogContent sx={{ display: 'grid', gap: 2 }}>
          <DialogContentText>{s.detail.contactHelp}</DialogContentText>
          <TextField label={s.detail.email} value={email} onChange={(e) => setEmail(e.target.value)} type="email" />
          {detail.kind === 'guardian' && <TextField label={s.detail.mobile} value={mobile} onChange={(e) => setMobile(e.target.value)} type="tel" />}
          {error && <Alert severity="error">{error}</Alert>}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{s.detail.cancel}</Button>
          <Button
            variant="contained"
            disabled={busy}
            onClick={() =>
              void act(() =>
                call('accounts.updateContact', {
                  ...target,
                  ...(email !== (a.email ?? '') ? { email: email || null } : {}),
                  ...(detail.kind === 'guardian' && mobile !== (a.mobile ?? '') ? { mobile: mobile || null } : {}),
                }),
              )
            }
          >
            {s.detail.save}
          </Button>
        </DialogActions>
      </Dialog>

      {/* Once the password is shown, only « Terminé » closes it: a stray Escape must not erase it unprinted. */}
      <Dialog open={dialog === 'reset'} onClose={secret ? undefined : close} aria-labelledby="reset-title">
        <DialogTitle id="reset-title">{s.detail.resetTitle}</DialogTitle>
        <DialogContent>
          {secret ? (
            <Box>
              <DialogContentText>{s.detail.resetShown}</DialogContentText>
              <Typography sx={{ mt: 1 }}>{s.detail.resetLogin} : <strong>{secret.login}</strong></Typography>
              <Typography>{s.detail.resetPassword} : <strong data-testid="temporary-password">{secret.temporaryPassword}</strong></Typography>
              {secret.letterExpiresAt && <Typography variant="body2">{s.detail.resetExpires(new Date(secret.letterExpiresAt).toLocaleDateString('fr-FR'))}</Typography>}
            </Box>
          ) : (
            <DialogContentText>{s.detail.resetBody}</DialogContentText>
          )}
          {error && <Alert severity="error" sx={{ mt: 2 }}>{error}</Alert>}
        </DialogContent>
        <DialogActions>
          {secret ? (
            <Button variant="contained" onClick={close}>{s.detail.done}</Button>
          ) : (
            <>
              <Button onClick={close}>{s.detail.cancel}</Button>
              <Button variant="contained" disabled={busy} onClick={() => void act(async () => setSecret(await call('accounts.resetPassword', target)), true)}>
                {s.detail.resetRun}
              </Button>
            </>
          )}
        </DialogActions>
      </Dialog>
      {letter && (
        <LetterBatchDialog
          open
          uai={detail.uai}
          kind={detail.kind}
          selection={{ ids: [detail.id] }}
          title={lettersStrings.fromAccounts.oneTitle(personName(detail))}
          onClose={() => setLetter(false)}
          onIssued={onChanged}
        />
      )}
      <Divider sx={{ mt: 2 }} />
    </Box>
  );
}
