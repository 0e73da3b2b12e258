import { useEffect, useState } from 'react';
import Badge from '@mui/material/Badge';
import Box from '@mui/material/Box';
import FactCheckOutlined from '@mui/icons-material/FactCheckOutlined';
import { call, on } from '../../api/client';
import { visuallyHidden } from '../../components/visuallyHidden';
import { useEstablishment } from '../establishments/EstablishmentContext';
import { reviewStrings as s } from './strings';

/** The pending count of the current establishment, refreshed on `review.changed`. */
function usePendingCount(): number {
  const { uai } = useEstablishment();
  const [pending, setPending] = useState<{ uai: string; n: number } | null>(null);
  useEffect(() => {
    if (!uai) return undefined;
    let current = true;
    call('review.counts', { uai }).then(
      (c) => current && setPending({ uai, n: c.pending }),
      () => undefined,
    );
    const off = on('review.changed', (event) => {
      if (event.uai === uai) setPending({ uai, n: event.counts.pending });
    });
    return () => {
      current = false;
      off();
    };
  }, [uai]);
  return pending && pending.uai === uai ? pending.n : 0;
}

/** The navigation icon of "À examiner" with the pending count as a badge (hidden from screen readers). */
export function ReviewNavIcon() {
  const n = usePendingCount();
  return (
    <Badge badgeContent={n} color="error" max={999} slotProps={{ badge: { 'aria-hidden': true, 'data-testid': 'review-nav-badge' } as object }}>
      <FactCheckOutlined />
    </Badge>
  );
}

/** The same count for screen readers, read after the entry's name ("À examiner, 9 en attente"). */
export function ReviewNavCount() {
  const n = usePendingCount();
  return n > 0 ? <Box component="span" sx={visuallyHidden}>{`, ${s.navBadge(n)}`}</Box> : null;
}
