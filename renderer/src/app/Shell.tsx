import { useEffect, useRef } from 'react';
import { Link as RouterLink, Outlet, useLocation, useNavigationType } from 'react-router';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import type { SessionOperator } from '../../../shared/api/contract';
import { SessionLock } from '../features/auth/SessionLock';
import { SessionMenu } from '../features/auth/SessionMenu';
import { useOperator, useSession } from '../features/auth/SessionContext';
import { authStrings } from '../features/auth/strings';
import { EstablishmentProvider } from '../features/establishments/EstablishmentContext';
import { EstablishmentSwitcher } from '../features/establishments/EstablishmentSwitcher';
import { OfflineBanner } from '../features/sync/OfflineBanner';
import { SyncStatusProvider } from '../features/sync/SyncStatusContext';
import { ErrorBoundary } from './ErrorBoundary';
import { NoticeSnackbar } from './NoticeSnackbar';
import { SideNav } from './SideNav';
import { StatusBar } from './StatusBar';
import { appStrings } from './strings';

/**
 * The window's frame. Signed in: the operator's establishment and sync state for every page (providers keyed by
 * login, so nothing of one operator survives into the next session). Signed out: the sign-in screen and the
 * application state page only.
 */
export function Shell() {
  const operator = useOperator();
  if (!operator) return <Frame operator={null} />;
  return (
    <EstablishmentProvider key={operator.login}>
      <SyncStatusProvider key={operator.login}>
        <Frame operator={operator} />
      </SyncStatusProvider>
    </EstablishmentProvider>
  );
}

/** Skip link, app bar, navigation, the routed page in <main>, status bar. */
function Frame({ operator }: { operator: SessionOperator | null }) {
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const navigationType = useNavigationType();
  const { signIns } = useSession();
  const login = operator?.login ?? null;

  // After a navigation the user asked for, move focus to the new content as a full page load would for screen
  // readers. Redirects (REPLACE) and the first load (POP) leave focus where the browser put it.
  useEffect(() => {
    if (navigationType === 'PUSH') mainRef.current?.focus();
  }, [pathname, navigationType]);

  // The frame is rebuilt at sign-in; the form that had focus is gone, so focus goes to the page now shown.
  useEffect(() => {
    if (login !== null && signIns > 0) mainRef.current?.focus();
  }, [login, signIns]);

  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', height: '100vh' }}>
      <Link
        href="#contenu"
        onClick={(event) => {
          event.preventDefault();
          mainRef.current?.focus();
        }}
        sx={{
          position: 'absolute',
          left: 8,
          top: -48,
          zIndex: (theme) => theme.zIndex.tooltip + 1,
          bgcolor: 'background.paper',
          color: 'primary.main',
          px: 2,
          py: 1,
          borderRadius: 1,
          fontWeight: 700,
          '&:focus': { top: 8 },
        }}
      >
        {appStrings.skipToContent}
      </Link>
      <AppBar position="static" component="header" elevation={0}>
        <Toolbar variant="dense" sx={{ gap: 2, flexWrap: 'wrap', py: operator ? 0.75 : 0 }}>
          <Typography component="p" variant="h6" sx={{ fontWeight: 700, flexGrow: operator ? 0 : 1 }}>
            {appStrings.appName}
          </Typography>
          {operator ? (
            <>
              <EstablishmentSwitcher />
              <Box sx={{ flexGrow: 1 }} />
              <SessionMenu operator={operator} />
            </>
          ) : (
            <Button component={RouterLink} to={pathname === '/etat' ? '/' : '/etat'} color="inherit" variant="outlined" size="small">
              {pathname === '/etat' ? authStrings.signInLink : authStrings.statusLink}
            </Button>
          )}
        </Toolbar>
      </AppBar>
      <Box sx={{ display: 'flex', flex: 1, minHeight: 0 }}>
        {operator && <SideNav />}
        <Box
          component="main"
          id="contenu"
          ref={mainRef}
          tabIndex={-1}
          sx={{ flex: 1, overflow: 'auto', p: { xs: 2, md: 4 }, '&:focus': { outline: 'none' } }}
        >
          <OfflineBanner />
          <ErrorBoundary key={pathname}>
            <Outlet />
          </ErrorBoundary>
        </Box>
      </Box>
      <StatusBar />
      <NoticeSnackbar />
      {operator && <SessionLock />}
    </Box>
  );
}
