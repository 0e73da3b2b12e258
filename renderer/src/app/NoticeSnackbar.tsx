import { useEffect, useState } from 'react';
import Alert from '@mui/material/Alert';
import Snackbar from '@mui/material/Snackbar';
import type { EventPayload } from '../../../shared/api/contract';
import { on } from '../api/client';
import { appStrings } from './strings';

type Notice = EventPayload<'system.notice'> & { id: number };

/** Shows notices pushed by the core (`system.notice`), one at a time; errors stay until closed. */
export function NoticeSnackbar() {
  const [queue, setQueue] = useState<Notice[]>([]);

  useEffect(() => {
    let next = 0;
    return on('system.notice', (notice) => {
      next += 1;
      const id = next;
      setQueue((current) => [...current, { ...notice, id }]);
    });
  }, []);

  const notice = queue[0];
  const close = () => setQueue((current) => current.slice(1));
  return (
    <Snackbar
      key={notice?.id}
      open={notice !== undefined}
      autoHideDuration={notice?.level === 'error' ? null : 8_000}
      onClose={(_event, reason) => {
        if (reason !== 'clickaway') close();
      }}
      anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
      // Above the status bar, which stays readable.
      sx={{ bottom: { xs: 64, sm: 64 } }}
    >
      {notice && (
        <Alert severity={notice.level} variant="filled" onClose={close} closeText={appStrings.notice.close}>
          {notice.message}
        </Alert>
      )}
    </Snackbar>
  );
}
