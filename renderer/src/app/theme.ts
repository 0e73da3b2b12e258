import { createTheme } from '@mui/material/styles';
import { frFR } from '@mui/material/locale';

/**
 * Sober public-service look: French-government blue (#000091) on white and light grey, colours taken from the
 * State design system (DSFR). Every text colour below reaches WCAG AA (4.5:1) on both `paper` and `default`.
 */
const blueFrance = '#000091';
const blueFranceLight = '#e3e3fd';
const grey = { text: '#161616', secondary: '#3a3a3a', border: '#929292', background: '#f6f6f6' };

export const theme = createTheme(
  {
    palette: {
      mode: 'light',
      primary: { main: blueFrance, light: '#1212ff', dark: '#00006d', contrastText: '#ffffff' },
      secondary: { main: '#3a3a3a', contrastText: '#ffffff' },
      error: { main: '#ce0500', contrastText: '#ffffff' },
      warning: { main: '#b34000', contrastText: '#ffffff' },
      info: { main: '#0063cb', contrastText: '#ffffff' },
      success: { main: '#18753c', contrastText: '#ffffff' },
      text: { primary: grey.text, secondary: grey.secondary, disabled: '#666666' },
      background: { default: grey.background, paper: '#ffffff' },
      divider: '#dddddd',
      action: { selected: blueFranceLight, hover: 'rgba(0, 0, 145, 0.06)' },
    },
    typography: {
      fontFamily: 'Marianne, Arial, sans-serif',
      h1: { fontSize: '1.75rem', fontWeight: 700, lineHeight: 1.3 },
      h2: { fontSize: '1.25rem', fontWeight: 700, lineHeight: 1.4 },
      h3: { fontSize: '1.1rem', fontWeight: 700 },
      button: { textTransform: 'none', fontWeight: 500 },
    },
    shape: { borderRadius: 4 },
    components: {
      MuiCssBaseline: {
        styleOverrides: {
          'html, body, #root': { height: '100%' },
          // A visible focus ring everywhere, not only where MUI draws a ripple.
          ':focus-visible': { outline: `2px solid ${blueFrance}`, outlineOffset: '2px' },
          code: { fontFamily: 'ui-monospace, "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace' },
        },
      },
      MuiLink: { defaultProps: { underline: 'always' } },
      MuiTableCell: { styleOverrides: { head: { fontWeight: 700 } } },
    },
  },
  frFR,
);
