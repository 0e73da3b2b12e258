import { Outlet } from 'react-router';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import { Page } from '../../components/Page';
import { useSession } from './SessionContext';
import { SignInPage } from './SignInPage';
import { authStrings as s } from './strings';

/** The routed page once an operator is signed in; the sign-in screen (at the same address) before. */
export function RequireSignIn() {
  const { status, error, refresh } = useSession();
  if (status?.signedIn) return <Outlet />;
  if (status) return <SignInPage />;
  return (
    <Page title={s.title}>
      {error ? (
        <Alert
          severity="error"
          action={
            <Button color="inherit" variant="outlined" size="small" onClick={() => void refresh()}>
              {s.retry}
            </Button>
          }
        >
          <AlertTitle>{s.statusErrorTitle}</AlertTitle>
          {error.message}
        </Alert>
      ) : (
        <Box sx={{ display: 'flex', justifyContent: 'center', py: 6 }}>
          <CircularProgress aria-label={s.statusLoading} />
        </Box>
      )}
    </Page>
  );
}
