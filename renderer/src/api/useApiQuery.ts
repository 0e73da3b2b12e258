import { useCallback, useEffect, useState } from 'react';
import type { MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract';
import { call } from './client';
import { ClientError, errorMessage } from './errors';

export interface ApiQuery<T> {
  /** The latest result for this method and input; kept while a reload is under way. */
  data: T | undefined;
  error: ClientError | undefined;
  loading: boolean;
  reload: () => void;
}

type Primitive = string | number | boolean | null | undefined;

interface Settled<T> {
  query: string;
  attempt: number;
  data?: T;
  error?: ClientError;
}

/**
 * Calls a method when the component mounts and again whenever the method, the input (compared by value: inputs are
 * JSON anyway) or one of `deps` changes. Responses to superseded requests are dropped.
 */
export function useApiQuery<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  deps: readonly Primitive[] = [],
): ApiQuery<MethodOutput<M>> {
  const query = JSON.stringify([method, input ?? {}, deps]);
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState<Settled<MethodOutput<M>> | null>(null);

  useEffect(() => {
    let current = true;
    const [name, body] = JSON.parse(query) as [M, MethodInput<M>];
    call(name, body).then(
      (data) => {
        if (current) setSettled({ query, attempt, data });
      },
      (error: unknown) => {
        const clientError = error instanceof ClientError ? error : new ClientError('INTERNAL', errorMessage(error));
        if (!current) return;
        setSettled((previous) => ({
          query,
          attempt,
          data: previous?.query === query ? previous.data : undefined,
          error: clientError,
        }));
      },
    );
    return () => {
      current = false;
    };
  }, [query, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const sameQuery = settled?.query === query;
  const fresh = sameQuery && settled.attempt === attempt;
  return {
    data: sameQuery ? settled.data : undefined,
    error: fresh ? settled.error : undefined,
    loading: !fresh,
    reload,
  };
}
