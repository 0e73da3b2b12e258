/**
 * The API over IPC: one `api:invoke` handler in front of the core's dispatcher, and every core event pushed to every
 * window. Answers are always envelopes — nothing is thrown across IPC, since contextBridge would keep only a message.
 */
import { BrowserWindow, ipcMain, type IpcMainInvokeEvent } from 'electron';
import { ApiError } from '../../shared/api/errors';
import { ipcChannels, type InvokeResult } from '../../shared/api/transport';
import type { Core } from '../core/index';
import { toApiError } from '../core/dispatcher';
import { isTrustedUrl } from './security-policy';
import { strings } from './strings';

function failure(error: ApiError): InvokeResult {
  return { ok: false, error: error.toBody() };
}

/** Wires the core to IPC; returns the function that unwires it (before the core is closed). */
export function connectCoreToIpc(core: Core, trustedPrefixes: readonly string[]): () => void {
  ipcMain.handle(
    ipcChannels.invoke,
    async (event: IpcMainInvokeEvent, method: unknown, input: unknown): Promise<InvokeResult> => {
      const senderUrl = event.senderFrame?.url;
      if (!isTrustedUrl(senderUrl, trustedPrefixes)) {
        console.warn(`[ipc] refused a call from ${senderUrl ?? 'an unknown frame'}`);
        return failure(new ApiError('FORBIDDEN', strings.ipc.forbiddenSender));
      }
      if (typeof method !== 'string') return failure(new ApiError('INVALID_INPUT', strings.ipc.badMethod));
      try {
        const result = await core.dispatcher.invoke(method, input, { transport: 'ipc' });
        return { ok: true, result };
      } catch (error) {
        return failure(toApiError(error, method));
      }
    },
  );

  const unsubscribe = core.events.subscribe((name, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed() && !window.webContents.isDestroyed()) {
        window.webContents.send(ipcChannels.event, name, payload);
      }
    }
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(ipcChannels.invoke);
  };
}
