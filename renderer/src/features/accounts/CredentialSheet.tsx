import { createPortal } from 'react-dom';
import Box from '@mui/material/Box';
import GlobalStyles from '@mui/material/GlobalStyles';
import Typography from '@mui/material/Typography';
import type { TemporaryCredential } from '../../../../shared/api/methods/accounts';
import type { AccountKind } from '../../../../shared/domain/accounts';
import { accountsStrings } from './strings';

const s = accountsStrings.slip;

export interface CredentialSheetProps {
  kind: AccountKind;
  establishment: { uai: string; name: string };
  credentials: readonly Pick<TemporaryCredential, 'id' | 'displayName' | 'login' | 'temporaryPassword' | 'letterExpiresAt'>[];
}

const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' }) : null);

/** One credential slip: who it is for, the login and temporary password, the deadline and how to activate. */
function Slip({ kind, establishment, credential }: { kind: AccountKind; establishment: CredentialSheetProps['establishment']; credential: CredentialSheetProps['credentials'][number] }) {
  const expires = date(credential.letterExpiresAt);
  return (
    <Box component="article" className="credential-slip" data-testid="credential-slip" sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2, mb: 2, color: '#000', bgcolor: '#fff' }}>
      <Typography sx={{ fontWeight: 600 }}>
        {establishment.name} ({establishment.uai})
      </Typography>
      <Typography component="h3" sx={{ fontSize: '1.2rem', fontWeight: 700, my: 1 }}>
        {s.title}
      </Typography>
      <Box component="dl" sx={{ display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5, m: 0 }}>
        <dt>{s.holder[kind]}</dt>
        <Box component="dd" sx={{ m: 0, fontWeight: 600 }}>{credential.displayName}</Box>
        <dt>{s.login}</dt>
        <Box component="dd" sx={{ m: 0, fontFamily: 'monospace', fontSize: '1.1rem' }}>{credential.login}</Box>
        <dt>{s.password}</dt>
        <Box component="dd" sx={{ m: 0, fontFamily: 'monospace', fontSize: '1.1rem', fontWeight: 700 }} data-testid="slip-password">
          {credential.temporaryPassword}
        </Box>
      </Box>
      {expires && <Typography sx={{ mt: 1, fontWeight: 600 }}>{s.expires(expires)}</Typography>}
      <Typography sx={{ mt: 1 }}>{s.howTo}</Typography>
      <Box component="ol" sx={{ my: 0.5, pl: 3 }}>
        {s.steps[kind].map((step) => (
          <li key={step}>{step}</li>
        ))}
      </Box>
      <Typography variant="body2">{s.oneUse}</Typography>
      <Typography variant="body2" sx={{ mt: 1, fontStyle: 'italic' }}>
        {s.confidential}
      </Typography>
    </Box>
  );
}

/** The slips as shown on screen (a preview inside the dialog). */
export function CredentialSlips({ kind, establishment, credentials }: CredentialSheetProps) {
  return (
    <>
      {credentials.map((c) => (
        <Slip key={c.id} kind={kind} establishment={establishment} credential={c} />
      ))}
    </>
  );
}

/**
 * The sheet that window.print() prints: a copy of the slips at the top of <body>, hidden on screen; in print, only
 * it is shown, one slip per page. Mounted only while the dialog showing the passwords is open, so nothing of them
 * stays in the page once it closes.
 */
export function PrintableCredentials(props: CredentialSheetProps) {
  return (
    <>
      <GlobalStyles
        styles={{
          '@media screen': { '.credential-sheet': { display: 'none' } },
          '@media print': {
            'html, body': { overflow: 'visible !important', height: 'auto !important', background: '#fff' },
            'body > *:not(.credential-sheet)': { display: 'none !important' },
            '.credential-sheet .credential-slip': { breakAfter: 'page', pageBreakAfter: 'always', breakInside: 'avoid', border: 'none' },
            '.credential-sheet .credential-slip:last-child': { breakAfter: 'auto', pageBreakAfter: 'auto' },
          },
        }}
      />
      {createPortal(
        <div className="credential-sheet" data-testid="credential-sheet">
          <CredentialSlips {...props} />
        </div>,
        document.body,
      )}
    </>
  );
}
