import GlobalStyles from '@mui/material/GlobalStyles';

/**
 * The print view of the dashboard (« Imprimer », window.print()): only the page's content, on white, with every
 * table (the tabs' hidden ones too) and without the controls; the window's frame (app bar, navigation, status bar)
 * and the scrolling containers give way so that the content flows over as many pages as it needs.
 */
export function PrintStyles() {
  return (
    <GlobalStyles
      styles={{
        '@media screen': { '.stats-print-only': { display: 'none' } },
        '@media print': {
          '@page': { size: 'A4 landscape', margin: '12mm' },
          'html, body, #root': { height: 'auto !important', overflow: 'visible !important', background: '#fff' },
          '#root > div, #root > div > div': { display: 'block !important', height: 'auto !important', minHeight: '0 !important' },
          '#root > div > header, #root > div > footer, #root > div > a, .MuiDrawer-root, .MuiSnackbar-root, .stats-no-print': {
            display: 'none !important',
          },
          '#contenu': { overflow: 'visible !important', padding: '0 !important' },
          '.stats-print-heading': { display: 'block !important' },
          '.stats-page table': { breakInside: 'auto' },
          '.stats-page tr, .stats-page section > .MuiPaper-root': { breakInside: 'avoid' },
        },
      }}
    />
  );
}
