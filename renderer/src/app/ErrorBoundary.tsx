import { Component, type ErrorInfo, type ReactNode } from 'react';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Typography from '@mui/material/Typography';
import { errorMessage } from '../api/client';
import { useDocumentTitle } from '../components/Page';
import { appStrings } from './strings';

const s = appStrings.errorBoundary;

interface State {
  error: unknown;
  failed: boolean;
}

/** Keeps a failing page from blanking the whole window: the shell and navigation stay usable. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null, failed: false };

  static getDerivedStateFromError(error: unknown): State {
    return { error, failed: true };
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    console.error('Page crashed', error, info.componentStack);
  }

  override render(): ReactNode {
    return this.state.failed ? <PageError error={this.state.error} /> : this.props.children;
  }
}

function PageError({ error }: { error: unknown }) {
  useDocumentTitle(s.title);
  return (
    <Box sx={{ maxWidth: '70ch' }}>
      <Typography variant="h1" sx={{ mb: 2 }}>
        {s.title}
      </Typography>
      <Typography sx={{ mb: 2 }}>{s.intro}</Typography>
      <Alert severity="error" sx={{ mb: 3 }}>
        <strong>{s.messageLabel} : </strong>
        <span data-testid="page-error-message">{errorMessage(error)}</span>
      </Alert>
      <Button variant="contained" onClick={() => window.location.reload()}>
        {s.reload}
      </Button>
    </Box>
  );
}
