import type { ReactNode } from 'react';
import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import CloudDoneOutlined from '@mui/icons-material/CloudDoneOutlined';
import CloudOffOutlined from '@mui/icons-material/CloudOffOutlined';
import ErrorOutline from '@mui/icons-material/ErrorOutline';
import HistoryOutlined from '@mui/icons-material/HistoryOutlined';
import HourglassEmpty from '@mui/icons-material/HourglassEmpty';
import SchoolOutlined from '@mui/icons-material/SchoolOutlined';
import { useEstablishment } from '../features/establishments/EstablishmentContext';
import { useSyncStatus } from '../features/sync/SyncStatusContext';
import { type Connectivity, useConnectivity } from './useConnectivity';
import { appStrings } from './strings';

const s = appStrings.statusBar;

type Reachability = Connectivity | 'directory-offline';

const connectivityView: Record<Reachability, { icon: ReactNode; label: string; hint?: string; color: string; bg?: string }> = {
  checking: { icon: <HourglassEmpty fontSize="small" />, label: s.checking, color: 'text.secondary' },
  online: { icon: <CloudDoneOutlined fontSize="small" />, label: s.online, color: 'success.main' },
  'directory-offline': {
    icon: <CloudOffOutlined fontSize="small" />,
    label: s.directoryOffline,
    hint: s.directoryOfflineHint,
    color: '#ffffff',
    bg: 'warning.main',
  },
  offline: { icon: <CloudOffOutlined fontSize="small" />, label: s.offline, hint: s.offlineHint, color: '#ffffff', bg: 'warning.main' },
  'service-down': { icon: <ErrorOutline fontSize="small" />, label: s.serviceDown, hint: s.serviceDownHint, color: '#ffffff', bg: 'error.main' },
};

/** Bottom bar: which establishment, whether we are connected, when we last synchronised. */
export function StatusBar() {
  const local = useConnectivity();
  const { uai, establishment } = useEstablishment();
  const sync = useSyncStatus();
  // The local service and the network come first: without them the directory's state is unknown.
  const connectivity: Reachability = local === 'online' && sync.offline ? 'directory-offline' : local;
  const view = connectivityView[connectivity];
  const lastSuccessAt = sync.establishment(uai)?.lastSuccessAt ?? null;
  return (
    <Box
      component="footer"
      aria-label={s.label}
      sx={{
        display: 'flex',
        alignItems: 'center',
        gap: 3,
        flexWrap: 'wrap',
        px: 2,
        py: 0.75,
        borderTop: 1,
        borderColor: 'divider',
        bgcolor: 'background.paper',
        fontSize: '0.875rem',
      }}
    >
      <Item icon={<SchoolOutlined fontSize="small" />} testId="statusbar-establishment" uai={uai}>
        <span>{s.establishment} : </span>
        {establishment ? s.establishmentValue(establishment.name, establishment.uai) : s.noEstablishment}
      </Item>
      <Box
        role="status"
        data-testid="statusbar-connectivity"
        data-state={connectivity}
        sx={{
          display: 'inline-flex',
          alignItems: 'center',
          gap: 0.75,
          color: view.color,
          bgcolor: view.bg,
          px: view.bg ? 1 : 0,
          py: view.bg ? 0.25 : 0,
          borderRadius: 1,
          fontWeight: view.bg ? 700 : 500,
        }}
      >
        {view.icon}
        <span>
          {view.label}
          {view.hint && <Box component="span" sx={{ fontWeight: 400 }}> — {view.hint}</Box>}
        </span>
      </Box>
      <Item icon={<HistoryOutlined fontSize="small" />} testId="statusbar-last-sync">
        <span>{s.lastSync} : </span>
        {lastSuccessAt ? <time dateTime={lastSuccessAt}>{s.formatDateTime(lastSuccessAt)}</time> : s.neverSynced}
      </Item>
    </Box>
  );
}

function Item({ icon, testId, uai, children }: { icon: ReactNode; testId: string; uai?: string | null; children: ReactNode }) {
  return (
    <Typography
      component="span"
      data-testid={testId}
      data-uai={uai ?? undefined}
      sx={{ display: 'inline-flex', alignItems: 'center', gap: 0.75, fontSize: 'inherit', color: 'text.secondary' }}
    >
      {icon}
      <span>{children}</span>
    </Typography>
  );
}
