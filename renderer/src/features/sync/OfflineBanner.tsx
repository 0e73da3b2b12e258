import Alert from '@mui/material/Alert';
import CloudOffOutlined from '@mui/icons-material/CloudOffOutlined';
import { useSyncStatus } from './SyncStatusContext';
import { syncStrings as s } from './strings';

/** Says, without taking focus, that the directory is unreachable and work continues on the local copy. */
export function OfflineBanner() {
  const { offline } = useSyncStatus();
  if (!offline) return null;
  return (
    <Alert severity="warning" role="status" icon={<CloudOffOutlined />} data-testid="offline-banner" sx={{ mb: 3 }}>
      {s.offlineBanner}
    </Alert>
  );
}
