/**
 * The renderer's one way to reach the core, over either transport: Electron's preload (`window.api`) or the browser
 * host's HTTP API on the same origin. Both speak the contract in shared/api, so callers get typed inputs and outputs.
 */
import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from '../../../shared/api/contract';
import type { DeskApi } from '../../../shared/api/transport';
import { ClientError, unavailable } from './errors';
import { httpEvents } from './events';
import { readToken } from './token';

declare global {
  interface Window {
    /** Present only in Electron, exposed by the preload through contextBridge. */
    api?: DeskApi;
  }
}

export { ClientError, errorMessage } from './errors';
export { captureTokenFromUrl } from './token';
export { useApiQuery, type ApiQuery } from './useApiQuery';
export { useEventRevision } from './useEventRevision';

export type Transport = 'electron' | 'http';

export function transport(): Transport {
  return window.api ? 'electron' : 'http';
}

export async function call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const api = window.api;
  if (api) {
    let envelope: Awaited<ReturnType<DeskApi['invoke']>>;
    try {
      envelope = await api.invoke(method, input);
    } catch (error) {
      throw unavailable(error);
    }
    if (!envelope.ok) throw ClientError.fromBody(envelope.error);
    return envelope.result as MethodOutput<M>;
  }
  return httpCall(method, input);
}

async function httpCall<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const token = await readToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  let text: string;
  try {
    response = await fetch(`/api/${encodeURIComponent(method)}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(input ?? {}),
      cache: 'no-store',
    });
    text = await response.text();
  } catch (error) {
    throw unavailable(error);
  }
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    throw response.ok
      ? new ClientError('INTERNAL', 'Le service local a renvoyé une réponse illisible.')
      : new ClientError(response.status >= 500 ? 'UNAVAILABLE' : 'INTERNAL', `Le service local a répondu par une erreur (${response.status}).`);
  }
  if (!response.ok) {
    const error = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
    throw ClientError.fromBody(error);
  }
  return body as MethodOutput<M>;
}

export function on<E extends EventName>(event: E, callback: (payload: EventPayload<E>) => void): () => void {
  const listener = (payload: unknown) => callback(payload as EventPayload<E>);
  const api = window.api;
  return api ? api.on(event, listener) : httpEvents.subscribe(event, listener);
}

/** Whether the local service answers at all (for the status bar), without needing a valid token. */
export async function pingService(signal?: AbortSignal): Promise<boolean> {
  const api = window.api;
  try {
    if (api) {
      // Any envelope, even an error one, proves the core is alive.
      await api.invoke('system.status', {});
      return true;
    }
    const response = await fetch('/healthz', { cache: 'no-store', signal });
    return response.ok;
  } catch {
    return false;
  }
}
