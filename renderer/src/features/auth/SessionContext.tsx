import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { AuthStatus, SessionOperator } from '../../../../shared/api/contract';
import { call, ClientError, errorMessage, on } from '../../api/client';

export interface Session {
  /** The last answer of `auth.status`; undefined until the first one arrives. */
  status: AuthStatus | undefined;
  /** Why `auth.status` could not be read (the local service is down, usually). */
  error: ClientError | undefined;
  /** Counts sign-ins made from this window (not sessions found at start), so the shell can move focus after one. */
  signIns: number;
  refresh: () => Promise<void>;
  signIn: (login: string, password: string) => Promise<SessionOperator>;
  signOut: () => Promise<void>;
  /** Locks the session (inactivity): the page stays mounted under the lock screen. */
  lock: () => Promise<void>;
  unlock: (password: string) => Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

function asClientError(error: unknown): ClientError {
  return error instanceof ClientError ? error : new ClientError('INTERNAL', errorMessage(error));
}

/** Who is signed in to the directory, for the whole window; sign-in and sign-out go through here. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>();
  const [error, setError] = useState<ClientError>();
  const [signIns, setSignIns] = useState(0);

  const refresh = useCallback(async () => {
    try {
      const next = await call('auth.status', {});
      setStatus(next);
      setError(undefined);
    } catch (caught) {
      setError(asClientError(caught));
    }
  }, []);

  // The core may lock or end the session by itself (OS lock in Electron, directory session gone).
  useEffect(() => on('auth.changed', () => void refresh()), [refresh]);

  useEffect(() => {
    let current = true;
    call('auth.status', {}).then(
      (next) => current && setStatus(next),
      (caught: unknown) => current && setError(asClientError(caught)),
    );
    return () => {
      current = false;
    };
  }, []);

  const signIn = useCallback(
    async (login: string, password: string) => {
      const operator = await call('auth.signIn', { login, password });
      await refresh();
      setSignIns((n) => n + 1);
      return operator;
    },
    [refresh],
  );

  const signOut = useCallback(async () => {
    await call('auth.signOut', {});
    await refresh();
  }, [refresh]);

  const lock = useCallback(async () => {
    await call('auth.lock', {});
    await refresh();
  }, [refresh]);

  const unlock = useCallback(
    async (password: string) => {
      await call('auth.unlock', { password });
      await refresh();
    },
    [refresh],
  );

  const value = useMemo(
    () => ({ status, error, signIns, refresh, signIn, signOut, lock, unlock }),
    [status, error, signIns, refresh, signIn, signOut, lock, unlock],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside <SessionProvider>');
  return session;
}

/** The signed-in operator, or null. */
export function useOperator(): SessionOperator | null {
  const { status } = useSession();
  return status?.signedIn ? status.operator : null;
}
