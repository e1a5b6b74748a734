import { BrowserWindow, ipcMain } from 'electron';
import type { IpcMainInvokeEvent } from 'electron';
import type { StudioChannel, StudioEventChannel, StudioMethod, StudioMethods } from '#contract/api';
import type { EngineEvent } from '#contract/worker-protocol';
import type { Result } from '#contract/errors';
import { isTrustedFrame, isTrustedSender } from './security';

/** The handler of one contract method, typed from StudioMethods. */
export type StudioHandler<M extends StudioMethod> = (params: StudioMethods[M][0]) => Promise<Result<StudioMethods[M][1]>>;

/**
 * Registers the handler of one contract method on its channel. Messages from any frame that is
 * not the app's own page are dropped (GitHub Desktop's habit): they get an error, never a call.
 * Parameters are checked by the worker, which validates everything a page sends.
 */
export function handle<M extends StudioMethod>(method: M, handler: StudioHandler<M>): void {
  const channel: StudioChannel = `studio:${method}`;
  ipcMain.handle(channel, async (event: IpcMainInvokeEvent, params: unknown): Promise<Result<StudioMethods[M][1]>> => {
    if (!isTrustedSender(event)) return { ok: false, error: { code: 'ARG_INVALID', message: `${channel}: untrusted sender dropped` } };
    return handler((params ?? {}) as StudioMethods[M][0]);
  });
}

const EVENT_CHANNEL: StudioEventChannel = 'studio:event';

/** Pushes an engine event to every window that shows the app's own page. */
export function broadcastEvent(event: EngineEvent): void {
  for (const win of BrowserWindow.getAllWindows()) {
    if (!win.isDestroyed() && isTrustedFrame(win.webContents.mainFrame)) win.webContents.send(EVENT_CHANNEL, event);
  }
}
