import Box from '@mui/material/Box';
import { charDiff, differenceKinds, visibleText } from '../../../../shared/domain/review';
import { reviewStrings as s } from './strings';

/**
 * The school value and the directory's new value side by side. Differences are marked by <del>/<ins> (struck through
 * and underlined, not colour alone), spaces are shown as ␣, and the kinds of difference are spelled out.
 */
export function DiffView({ before, after }: { before: string | null; after: string | null }) {
  const segments = charDiff(before, after);
  const kinds = differenceKinds(before, after);
  const side = (which: 'before' | 'after') => {
    const value = which === 'before' ? before : after;
    if (value === null || value === '') return <em>{s.empty_value}</em>;
    return segments
      .filter((seg) => seg.op === 'same' || seg.op === (which === 'before' ? 'removed' : 'added'))
      .map((seg, i) =>
        seg.op === 'same' ? (
          <span key={i}>{visibleText(seg.text)}</span>
        ) : which === 'before' ? (
          <Box component="del" key={i} aria-label={`${s.removed} « ${seg.text} »`} sx={{ bgcolor: '#fde2e1', textDecorationThickness: 2, fontWeight: 700 }}>
            {visibleText(seg.text)}
          </Box>
        ) : (
          <Box component="ins" key={i} aria-label={`${s.added} « ${seg.text} »`} sx={{ bgcolor: '#dcf5e3', textDecorationThickness: 2, fontWeight: 700 }}>
            {visibleText(seg.text)}
          </Box>
        ),
      );
  };
  return (
    <Box>
      <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' }, gap: 1 }}>
        <Box>
          <Box component="span" sx={{ display: 'block', fontSize: 12, color: 'text.secondary' }}>{s.school}</Box>
          <Box sx={{ fontFamily: 'monospace', fontSize: 16 }} data-testid="school-value">{side('before')}</Box>
        </Box>
        <Box>
          <Box component="span" sx={{ display: 'block', fontSize: 12, color: 'text.secondary' }}>{s.directory}</Box>
          <Box sx={{ fontFamily: 'monospace', fontSize: 16 }} data-testid="new-value">{side('after')}</Box>
        </Box>
      </Box>
      {kinds.length > 0 && (
        <Box sx={{ fontSize: 13, color: 'text.secondary', mt: 0.5 }}>
          {s.differences} {kinds.map((k) => s.kinds[k]).join(', ')}
        </Box>
      )}
    </Box>
  );
}
