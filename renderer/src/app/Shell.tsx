import { useEffect, useRef } from 'react';
import { Outlet, useLocation, useNavigationType } from 'react-router';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import Link from '@mui/material/Link';
import Toolbar from '@mui/material/Toolbar';
import Typography from '@mui/material/Typography';
import { ErrorBoundary } from './ErrorBoundary';
import { NoticeSnackbar } from './NoticeSnackbar';
import { SideNav } from './SideNav';
import { StatusBar } from './StatusBar';
import { appStrings } from './strings';

/** The window's frame: skip link, app bar, navigation, the routed page in <main>, status bar. */
export function Shell() {
  const { pathname } = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const navigationType = useNavigationType();

  // After a navigation the user asked for, move focus to the new content as a full page load would for screen
  // readers. Redirects (REPLACE) and the first load (POP) leave focus where the browser put it.
  useEffect(() => {
    if (navigationType === 'PUSH') mainRef.current?.focus();
  }, [pathname, navigationType]);

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
        <Toolbar variant="dense">
          <Typography component="p" variant="h6" sx={{ fontWeight: 700 }}>
            {appStrings.appName}
          </Typography>
        </Toolbar>
      </AppBar>
      <Box sx={{ display: 'flex', flex: 1, minHeight: 0 }}>
        <SideNav />
        <Box
          component="main"
          id="contenu"
          ref={mainRef}
          tabIndex={-1}
          sx={{ flex: 1, overflow: 'auto', p: { xs: 2, md: 4 }, '&:focus': { outline: 'none' } }}
        >
          <ErrorBoundary key={pathname}>
            <Outlet />
          </ErrorBoundary>
        </Box>
      </Box>
      <StatusBar />
      <NoticeSnackbar />
    </Box>
  );
}
