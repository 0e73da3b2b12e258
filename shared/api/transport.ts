/**
 * What the preload exposes as `window.api` in Electron. The browser host offers the same two operations over HTTP
 * (`POST /api/<method>`, `GET /api/events`). `invoke` resolves to an envelope because Electron's contextBridge keeps
 * only the message of a thrown Error, and the renderer needs the code and details too.
 */
import type { ApiErrorBody } from './errors';

export type InvokeResult = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

export interface DeskApi {
  invoke(method: string, input: unknown): Promise<InvokeResult>;
  on(event: string, callback: (payload: unknown) => void): () => void;
}

/** IPC channel names shared by main and preload. */
export const ipcChannels = { invoke: 'api:invoke', event: 'api:event' } as const;
