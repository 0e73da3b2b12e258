import { useEffect, useState, useSyncExternalStore } from 'react';
import { pingService } from '../api/client';

const PING_INTERVAL_MS = 15_000;

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange);
  window.addEventListener('offline', onChange);
  return () => {
    window.removeEventListener('online', onChange);
    window.removeEventListener('offline', onChange);
  };
}

export type Connectivity = 'checking' | 'online' | 'offline' | 'service-down';

/**
 * Network state (navigator.onLine) combined with whether the local service answers. The local service lives on the
 * same machine, so it is probed even without network: the app keeps working offline on its local mirror.
 */
export function useConnectivity(): Connectivity {
  const networkOnline = useSyncExternalStore(subscribeOnline, () => navigator.onLine);
  const [serviceUp, setServiceUp] = useState<boolean | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const probe = () => {
      void pingService(controller.signal).then((up) => {
        if (!controller.signal.aborted) setServiceUp(up);
      });
    };
    probe();
    const timer = setInterval(probe, PING_INTERVAL_MS);
    window.addEventListener('online', probe);
    return () => {
      controller.abort();
      clearInterval(timer);
      window.removeEventListener('online', probe);
    };
  }, []);

  if (serviceUp === false) return 'service-down';
  if (!networkOnline) return 'offline';
  if (serviceUp === null) return 'checking';
  return 'online';
}
