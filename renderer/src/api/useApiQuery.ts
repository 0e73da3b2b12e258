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
  /** Method and input: the data stays shown while only `deps` change (a reload, not another question). */
  key: string;
  query: string;
  attempt: number;
  data?: T;
  error?: ClientError;
}

/**
 * Calls a method when the component mounts and again whenever the method, the input (compared by value: inputs are
 * JSON anyway) or one of `deps` changes. Responses to superseded requests are dropped.
 *
 * `deps` are reload triggers (a version bumped by an event): while they reload, the previous data of the same method
 * and input stays in place, so lists do not empty and remount (losing focus and scroll) on every change event. A new
 * method or input clears the data until its own answer arrives.
 */
export function useApiQuery<M extends MethodName>(
  method: M,
  input: MethodInput<M>,
  deps: readonly Primitive[] = [],
  options: {
    /**
     * Keep showing the previous input's answer until the new one arrives (a list filtered while the user types: its
     * rows stay in place, so a click aimed at one is not lost to a list emptied and filled again).
     */
    keepPrevious?: boolean;
  } = {},
): ApiQuery<MethodOutput<M>> {
  const key = JSON.stringify([method, input ?? {}]);
  const query = `${key}${JSON.stringify(deps)}`;
  const [attempt, setAttempt] = useState(0);
  const [settled, setSettled] = useState<Settled<MethodOutput<M>> | null>(null);

  useEffect(() => {
    let current = true;
    const [name, body] = JSON.parse(key) as [M, MethodInput<M>];
    call(name, body).then(
      (data) => {
        if (current) setSettled({ key, query, attempt, data });
      },
      (error: unknown) => {
        const clientError = error instanceof ClientError ? error : new ClientError('INTERNAL', errorMessage(error));
        if (!current) return;
        setSettled((previous) => ({
          key,
          query,
          attempt,
          data: previous?.key === key ? previous.data : undefined,
          error: clientError,
        }));
      },
    );
    return () => {
      current = false;
    };
    // `key` is part of `query`: one dependency says both.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const fresh = settled?.query === query && settled.attempt === attempt;
  return {
    data: settled?.key === key || options.keepPrevious ? settled?.data : undefined,
    error: fresh ? settled.error : undefined,
    loading: !fresh,
    reload,
  };
}
