import { useState } from 'react';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import LogoutOutlined from '@mui/icons-material/LogoutOutlined';
import type { SessionOperator } from '../../../../shared/api/contract';
import { errorMessage } from '../../api/client';
import { useSession } from './SessionContext';
import { authStrings as s } from './strings';

/** The app bar's session entry: who is signed in, in which role, and the way out. */
export function SessionMenu({ operator }: { operator: SessionOperator }) {
  const { signOut } = useSession();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string>();

  const leave = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      await signOut();
    } catch (error) {
      setFailure(errorMessage(error));
      setBusy(false);
    }
  };

  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1.5 }}>
      <Box
        role="group"
        aria-label={s.sessionLabel}
        data-testid="session-operator"
        data-login={operator.login}
        data-role={operator.role}
        sx={{ textAlign: 'right', lineHeight: 1.2 }}
      >
        <Typography component="p" sx={{ fontWeight: 700, fontSize: '0.875rem' }}>
          {operator.displayName}
        </Typography>
        <Typography component="p" sx={{ fontSize: '0.8125rem' }}>
          {s.roles[operator.role]}
        </Typography>
      </Box>
      <Button
        color="inherit"
        variant="outlined"
        size="small"
        startIcon={<LogoutOutlined />}
        onClick={() => void leave()}
        disabled={busy}
      >
        {busy ? s.signingOut : s.signOut}
      </Button>
      {failure && (
        <Typography role="alert" sx={{ fontSize: '0.8125rem', fontWeight: 700 }}>
          {s.signOutFailed} : {failure}
        </Typography>
      )}
    </Box>
  );
}
