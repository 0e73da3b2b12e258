import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import type { EstablishmentItem } from '../../../../shared/api/contract';
import { type ClientError, useApiQuery } from '../../api/client';

export interface EstablishmentChoice {
  /** The establishment every page works on; null while none is known. */
  uai: string | null;
  /** The current establishment's details. */
  establishment: EstablishmentItem | null;
  /** The signed-in operator's establishments. */
  establishments: EstablishmentItem[];
  setUai: (uai: string) => void;
  loading: boolean;
  error: ClientError | undefined;
  reload: () => void;
}

const STORAGE_KEY = 'educonnect-desk.establishment';

const signedOutChoice: EstablishmentChoice = {
  uai: null,
  establishment: null,
  establishments: [],
  setUai: () => undefined,
  loading: false,
  error: undefined,
  reload: () => undefined,
};

const EstablishmentContext = createContext<EstablishmentChoice>(signedOutChoice);

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function store(uai: string): void {
  try {
    localStorage.setItem(STORAGE_KEY, uai);
  } catch {
    // Storage refused (private mode, quota): the choice lasts for this window only.
  }
}

/**
 * The establishment chosen in the app bar, remembered across launches. Mount it for a signed-in operator only
 * (keyed by login): outside it, `useEstablishment()` answers "no establishment".
 */
export function EstablishmentProvider({ children }: { children: ReactNode }) {
  const { data, loading, error, reload } = useApiQuery('establishments.list', {});
  const [chosen, setChosen] = useState<string | null>(readStored);
  const establishments = useMemo(() => data ?? [], [data]);
  // A remembered establishment the operator no longer holds falls back to the first one.
  const establishment = establishments.find((e) => e.uai === chosen) ?? establishments[0] ?? null;

  const setUai = useCallback((uai: string) => {
    store(uai);
    setChosen(uai);
  }, []);

  const value = useMemo(
    () => ({ uai: establishment?.uai ?? null, establishment, establishments, setUai, loading, error, reload }),
    [establishment, establishments, setUai, loading, error, reload],
  );
  return <EstablishmentContext.Provider value={value}>{children}</EstablishmentContext.Provider>;
}

export function useEstablishment(): EstablishmentChoice {
  return useContext(EstablishmentContext);
}
