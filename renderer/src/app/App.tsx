import { lazy, Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import CssBaseline from '@mui/material/CssBaseline';
import { ThemeProvider } from '@mui/material/styles';
import { AccountsPage } from '../features/accounts/AccountsPage';
import { RequireSignIn } from '../features/auth/RequireSignIn';
import { SessionProvider } from '../features/auth/SessionContext';
import { ImportPage } from '../features/imports/ImportPage';
import { LettersPage } from '../features/letters/LettersPage';
import { ReviewPage } from '../features/review/ReviewPage';
import { SettingsPage } from '../features/settings/SettingsPage';
import { AuditPage } from '../features/audit/AuditPage';
import { SyncPage } from '../features/sync/SyncPage';
import { StatusPage } from '../features/system/StatusPage';
import { NotFoundPage } from './NotFoundPage';
import { Shell } from './Shell';
import { theme } from './theme';
import { appStrings } from './strings';

// The charts library is loaded with the Statistiques page only (a fifth of the bundle), not at start.
const StatsPage = lazy(() => import('../features/stats/StatsPage').then((m) => ({ default: m.StatsPage })));

export function App() {
  return (
    <ThemeProvider theme={theme}>
      <CssBaseline />
      <SessionProvider>
        <BrowserRouter>
          <Routes>
            <Route element={<Shell />}>
              {/* Reachable without signing in, for support when sign-in itself fails. */}
              <Route path="etat" element={<StatusPage />} />
              <Route element={<RequireSignIn />}>
                <Route index element={<Navigate to="/comptes" replace />} />
                {/* A shell that loads the entry file by name lands here. */}
                <Route path="index.html" element={<Navigate to="/comptes" replace />} />
                <Route path="comptes" element={<AccountsPage />} />
                <Route path="a-examiner" element={<ReviewPage />} />
                <Route path="courriers" element={<LettersPage />} />
                <Route
                  path="statistiques"
                  element={
                    <Suspense fallback={<p role="status">{appStrings.loadingPage}</p>}>
                      <StatsPage />
                    </Suspense>
                  }
                />
                <Route path="synchronisation" element={<SyncPage />} />
                <Route path="import" element={<ImportPage />} />
                <Route path="parametres" element={<SettingsPage />} />
                <Route path="journal" element={<AuditPage />} />
              </Route>
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </ThemeProvider>
  );
}
