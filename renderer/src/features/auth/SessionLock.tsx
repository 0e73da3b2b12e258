import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import LockOpenOutlined from '@mui/icons-material/LockOpenOutlined';
import { call, errorMessage } from '../../api/client';
import { useSession } from './SessionContext';
import { lockStrings as s } from './strings';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'mousemove'] as const;
/** How often the window re-reads the session, to notice an expired directory session. */
const STATUS_POLL_MS = 60_000;
/** At most how often the window tells the core the operator is at work (less when the delay is short). */
const KEEP_ALIVE_MS = 60_000;

/**
 * Locks the session after the configured inactivity and shows the lock screen over the page (a modal, not a
 * navigation): the routed page stays mounted, so its unsaved input is intact after unlocking. The core refuses every
 * non-public call while locked, so the lock is not only visual; it also locks an idle session by itself (and says so
 * with `auth.changed`), so the window tells it about keyboard and mouse activity that makes no other call.
 */
export function SessionLock() {
  const { status, lock, refresh } = useSession();
  const minutes = status?.inactivityMinutes ?? 10;
  const locked = status?.locked === true;

  useEffect(() => {
    if (!status?.signedIn || locked) return;
    let timer = window.setTimeout(() => void lock().catch(() => undefined), minutes * 60_000);
    let last = Date.now();
    let told = Date.now();
    const keepAliveMs = Math.min(KEEP_ALIVE_MS, (minutes * 60_000) / 2);
    const onActivity = () => {
      // mousemove fires constantly: re-arm at most once a second.
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void lock().catch(() => undefined), minutes * 60_000);
      if (now - told >= keepAliveMs) {
        told = now;
        void call('auth.keepAlive', {}).catch(() => undefined);
      }
    };
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onActivity, { passive: true });
    return () => {
      window.clearTimeout(timer);
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onActivity);
    };
  }, [status?.signedIn, locked, minutes, lock]);

  useEffect(() => {
    if (!status?.signedIn) return;
    const poll = window.setInterval(() => void refresh(), STATUS_POLL_MS);
    return () => window.clearInterval(poll);
  }, [status?.signedIn, refresh]);

  if (!status?.signedIn || !locked) return null;
  return <LockDialog reason={status.lockReason ?? 'inactivity'} minutes={minutes} name={status.operator?.displayName ?? ''} />;
}

function LockDialog({ reason, minutes, name }: { reason: 'inactivity' | 'restart' | 'expired'; minutes: number; name: string }) {
  const { unlock, signOut } = useSession();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const inputRef = useRef<HTMLInputElement>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (password === '') {
      setError(s.passwordRequired);
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await unlock(password);
    } catch (caught) {
      setError(errorMessage(caught));
      setPassword('');
      setBusy(false);
      inputRef.current?.focus();
    }
  };

  return (
    <Dialog open aria-labelledby={titleId} data-testid="session-lock" disableEscapeKeyDown>
      <DialogTitle id={titleId}>{s.title}</DialogTitle>
      <DialogContent>
        <Typography sx={{ mb: 1 }}>{reason === 'expired' ? s.expired : reason === 'restart' ? s.restart : s.inactivity(minutes)}</Typography>
        <Typography color="text.secondary" sx={{ mb: 2 }}>
          {s.operator(name)}
        </Typography>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }} role="alert">
            {error}
          </Alert>
        )}
        <Box component="form" noValidate onSubmit={(e: FormEvent) => void submit(e)} sx={{ display: 'flex', flexDirection: 'column', gap: 2 }}>
          <TextField
            label={s.password}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            inputRef={inputRef}
            autoFocus
            required
          />
          <Box sx={{ display: 'flex', gap: 1 }}>
            <Button type="submit" variant="contained" startIcon={<LockOpenOutlined />} disabled={busy}>
              {busy ? s.unlocking : s.unlock}
            </Button>
            <Button variant="text" onClick={() => void signOut()}>
              {s.signOut}
            </Button>
          </Box>
        </Box>
      </DialogContent>
    </Dialog>
  );
}
