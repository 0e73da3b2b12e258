/**
 * The only bridge between the sandboxed renderer and main: `window.api` with `invoke` and `on`, nothing else.
 * Runs sandboxed (CommonJS, only `electron`'s renderer modules available); main re-checks everything it receives.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannels, type DeskApi, type InvokeResult } from '../../shared/api/transport';
import { strings } from '../main/strings';

const api = {
  invoke(method: string, input: unknown): Promise<InvokeResult> {
    if (typeof method !== 'string') {
      return Promise.resolve({ ok: false, error: { code: 'INVALID_INPUT', message: strings.ipc.badMethod } });
    }
    return ipcRenderer.invoke(ipcChannels.invoke, method, input) as Promise<InvokeResult>;
  },

  on(event: string, callback: (payload: unknown) => void): () => void {
    if (typeof event !== 'string') throw new TypeError('api.on: event must be a string');
    if (typeof callback !== 'function') throw new TypeError('api.on: callback must be a function');
    // The IpcRendererEvent stays here: handing it to the page would expose `sender` (ipcRenderer itself).
    const listener = (_ipcEvent: IpcRendererEvent, name: unknown, payload: unknown): void => {
      if (name === event) callback(payload);
    };
    ipcRenderer.on(ipcChannels.event, listener);
    return () => {
      ipcRenderer.removeListener(ipcChannels.event, listener);
    };
  },
} satisfies DeskApi;

contextBridge.exposeInMainWorld('api', api);
