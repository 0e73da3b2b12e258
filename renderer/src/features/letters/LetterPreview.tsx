import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { LetterContent } from '../../../../shared/domain/letters';
import { lettersStrings as s } from './strings';

/**
 * A letter as the PDF prints it, in HTML, at a reduced size: the same composed content (shared/domain/letters.ts) laid
 * out like the A4 page (header, place and date, the envelope window, the body). For previews only: the password shown
 * here is always the mask.
 */
export function LetterPreview({ letter, name }: { letter: LetterContent; name: string }) {
  const small = { fontSize: '0.72rem', lineHeight: 1.35 } as const;
  return (
    <Box
      component="article"
      aria-label={s.preview.label(name)}
      data-testid="letter-preview"
      sx={{
        bgcolor: '#fff',
        color: '#000',
        border: 1,
        borderColor: 'divider',
        boxShadow: 1,
        width: '100%',
        maxWidth: 560,
        aspectRatio: '210 / 297',
        p: '4% 5%',
        mb: 2,
        overflow: 'hidden',
        fontSize: '0.75rem',
      }}
    >
      <Box sx={{ display: 'grid', gridTemplateColumns: '48% 52%', minHeight: '24%' }}>
        <Box>
          <Typography sx={{ ...small, fontWeight: 700 }}>{letter.header[0]}</Typography>
          {letter.header.slice(1).map((line, i) => (
            <Typography key={i} sx={small}>
              {line}
            </Typography>
          ))}
          {letter.handDelivery && <Typography sx={{ ...small, fontWeight: 700, color: '#444', mt: 3 }}>{letter.handDelivery}</Typography>}
        </Box>
        <Box sx={{ pt: '18%' }}>
          <Typography sx={{ ...small, mb: 1 }}>{letter.placeDate}</Typography>
          {letter.addressee.window ? (
            letter.addressee.lines.map((line, i) => (
              <Typography key={i} sx={small} data-testid="letter-addressee">
                {line}
              </Typography>
            ))
          ) : (
            <Typography sx={{ ...small, fontStyle: 'italic', color: '#666' }}>{s.preview.noWindow}</Typography>
          )}
        </Box>
      </Box>
      <Typography sx={{ ...small, fontWeight: 700, fontSize: '0.8rem', mt: 1 }}>{letter.subject}</Typography>
      <Typography sx={{ ...small, mt: 0.5 }}>{letter.salutation}</Typography>
      {letter.intro.map((p, i) => (
        <Typography key={i} sx={{ ...small, mt: 0.5 }}>
          {p}
        </Typography>
      ))}
      <Box sx={{ bgcolor: '#eee', borderRadius: 1, p: 1, my: 1 }}>
        <Typography sx={small}>
          {letter.credentials.loginLabel} : <Box component="span" sx={{ fontFamily: '"DejaVu Sans Mono", monospace', fontWeight: 700 }}>{letter.credentials.login}</Box>
        </Typography>
        <Typography sx={small}>
          {letter.credentials.passwordLabel} : <Box component="span" sx={{ fontFamily: '"DejaVu Sans Mono", monospace', fontWeight: 700 }}>{letter.credentials.password}</Box>
        </Typography>
        <Typography sx={{ ...small, fontSize: '0.62rem', color: '#444' }}>{letter.credentials.hint}</Typography>
      </Box>
      <Typography sx={{ ...small, fontWeight: 700 }}>{letter.stepsTitle}</Typography>
      <Box component="ol" sx={{ ...small, my: 0.5, pl: 2.5 }}>
        {letter.steps.map((step) => (
          <li key={step}>{step}</li>
        ))}
      </Box>
      <Typography sx={{ ...small, fontWeight: 700 }}>{letter.validity}</Typography>
      {letter.notGuardian && (
        <>
          <Typography sx={{ ...small, mt: 0.5 }}>{letter.notGuardian.text}</Typography>
          <Typography sx={{ ...small, fontWeight: 700 }}>☐ {letter.notGuardian.box}</Typography>
        </>
      )}
      <Typography sx={{ ...small, fontWeight: 700, mt: 0.5 }}>{letter.alternativeTitle}</Typography>
      {letter.alternative.map((p, i) => (
        <Typography key={i} sx={small}>
          {p}
        </Typography>
      ))}
      {letter.help.length > 0 && (
        <>
          <Typography sx={{ ...small, fontWeight: 700, mt: 0.5 }}>{letter.helpTitle}</Typography>
          {letter.help.map((line, i) => (
            <Typography key={i} sx={small}>
              {line}
            </Typography>
          ))}
        </>
      )}
      <Box sx={{ textAlign: 'right', mt: 1 }}>
        {letter.signature.map((line, i) => (
          <Typography key={i} sx={small}>
            {line}
          </Typography>
        ))}
      </Box>
    </Box>
  );
}
