import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { EventPayload, SyncEstablishmentStatus, SyncStatus } from '../../../../shared/api/contract';
import { call, ClientError, errorMessage, on } from '../../api/client';

/** How long a burst of core events must settle before sync.status is read again. */
const REFRESH_DEBOUNCE_MS = 800;
/** A slow re-read for what no event announces (next scheduled run, reachability probes). */
const SLOW_REFRESH_MS = 60_000;
const HISTORY_LIMIT = 100;

type LiveState = EventPayload<'sync.state'> & { receivedAt: number };

export interface LiveProgress {
  /** The run's job: « Arrêter » cancels it (jobs.cancel). */
  jobId: string;
  label: string;
  done: number;
  total: number | null;
  finished: boolean;
  cancelRequested: boolean;
}

/** An establishment's status as last read, with the live state of events received since. */
export type EffectiveSyncStatus = SyncEstablishmentStatus & { applied: number | null; rate: number | null };

export interface SyncStatusValue {
  status: SyncStatus | undefined;
  error: ClientError | undefined;
  /** Re-reads sync.status now. */
  refresh: () => void;
  /** Bumped whenever the core reported a change worth re-reading (outbox, end of a run), for dependent queries. */
  revision: number;
  /** The directory is known to be unreachable. */
  offline: boolean;
  /** Reachability of the directory: null while unknown. */
  online: boolean | null;
  establishment: (uai: string | null) => EffectiveSyncStatus | null;
  progress: (uai: string | null) => LiveProgress | null;
}

const signedOutValue: SyncStatusValue = {
  status: undefined,
  error: undefined,
  refresh: () => undefined,
  revision: 0,
  offline: false,
  online: null,
  establishment: () => null,
  progress: () => null,
};

const SyncStatusContext = createContext<SyncStatusValue>(signedOutValue);

interface Read {
  status?: SyncStatus;
  error?: ClientError;
  /** When the request that produced `status` left: events received later are newer than it. */
  requestedAt: number;
}

/**
 * sync.status for the whole window (status bar, offline banner, Synchronisation page), re-read when the core's
 * events settle rather than polled; live state and progress come straight from the events in between.
 * Mount it for a signed-in operator only.
 */
export function SyncStatusProvider({ children }: { children: ReactNode }) {
  const [revision, setRevision] = useState(0);
  const [read, setRead] = useState<Read>({ requestedAt: 0 });
  const [live, setLive] = useState<Record<string, LiveState>>({});
  const [progress, setProgress] = useState<Record<string, LiveProgress>>({});

  useEffect(() => {
    let current = true;
    const requestedAt = Date.now();
    call('sync.status', { historyLimit: HISTORY_LIMIT }).then(
      (status) => {
        if (current) setRead({ status, requestedAt });
      },
      (error: unknown) => {
        const clientError = error instanceof ClientError ? error : new ClientError('INTERNAL', errorMessage(error));
        if (current) setRead((previous) => ({ ...previous, error: clientError }));
      },
    );
    return () => {
      current = false;
    };
  }, [revision]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refreshSoon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => setRevision((n) => n + 1), REFRESH_DEBOUNCE_MS);
    };
    const unsubscribers = [
      on('sync.state', (payload) => {
        setLive((previous) => ({ ...previous, [payload.uai]: { ...payload, receivedAt: Date.now() } }));
        refreshSoon();
      }),
      on('job.progress', (payload) => {
        const { jobId, uai, label, done, total, cancelRequested } = payload;
        const finished = payload.state !== 'running';
        if (payload.kind !== 'sync') return;
        setProgress((previous) => ({ ...previous, [uai]: { jobId, label, done, total, finished, cancelRequested } }));
      }),
      on('outbox.changed', refreshSoon),
    ];
    const slow = setInterval(() => setRevision((n) => n + 1), SLOW_REFRESH_MS);
    return () => {
      clearTimeout(timer);
      clearInterval(slow);
      for (const unsubscribe of unsubscribers) unsubscribe();
    };
  }, []);

  const refresh = useCallback(() => setRevision((n) => n + 1), []);

  const value = useMemo((): SyncStatusValue => {
    const { status, error, requestedAt } = read;
    const newer = Object.values(live).filter((l) => l.receivedAt > requestedAt);
    const offline =
      newer.some((l) => l.state === 'offline') ||
      (status?.online === false && !newer.some((l) => l.state === 'running' || l.state === 'idle'));
    return {
      status,
      error,
      refresh,
      revision,
      offline,
      online: offline ? false : newer.some((l) => l.state === 'running') ? true : (status?.online ?? null),
      establishment: (uai) => {
        const base = uai === null ? undefined : status?.establishments.find((e) => e.uai === uai);
        if (!base) return null;
        const event = live[base.uai];
        if (event && event.receivedAt > requestedAt) {
          return { ...base, state: event.state, phase: event.phase, applied: event.applied, rate: event.rate };
        }
        return { ...base, applied: event?.applied ?? null, rate: event?.rate ?? null };
      },
      progress: (uai) => (uai === null ? null : (progress[uai] ?? null)),
    };
  }, [read, live, progress, refresh, revision]);

  return <SyncStatusContext.Provider value={value}>{children}</SyncStatusContext.Provider>;
}

export function useSyncStatus(): SyncStatusValue {
  return useContext(SyncStatusContext);
}
