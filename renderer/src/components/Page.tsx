import { type ReactNode, useEffect } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import { appStrings } from '../app/strings';

export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = `${title}${appStrings.titleSuffix}`;
  }, [title]);
}

interface PageProps {
  title: string;
  /** One or two sentences under the title saying what the page is for. */
  intro?: ReactNode;
  /** Buttons aligned with the title (e.g. "Actualiser"). */
  actions?: ReactNode;
  children?: ReactNode;
}

/** Every page's frame: its one <h1>, the window title, an optional intro. */
export function Page({ title, intro, actions, children }: PageProps) {
  useDocumentTitle(title);
  return (
    <Box sx={{ maxWidth: 1100 }}>
      <Box sx={{ display: 'flex', alignItems: 'flex-start', gap: 2, flexWrap: 'wrap', mb: intro ? 1 : 3 }}>
        <Typography variant="h1" sx={{ flexGrow: 1 }}>
          {title}
        </Typography>
        {actions}
      </Box>
      {intro && (
        <Typography color="text.secondary" sx={{ mb: 3, maxWidth: '70ch' }}>
          {intro}
        </Typography>
      )}
      {children}
    </Box>
  );
}
