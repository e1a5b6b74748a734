import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { StudioApi, StudioChannel } from '../contract/api';
import { isAppUrl } from './security';

type Method = keyof StudioApi;

/**
 * Registers the handler of one contract method. Messages from any frame that is not the app's
 * own page are dropped (GitHub Desktop's habit), so a navigated or injected frame gets nothing.
 */
export function handle<M extends Method>(method: M, handler: (...args: Parameters<StudioApi[M]>) => ReturnType<StudioApi[M]>): void {
  const channel: StudioChannel = `studio:${method}`;
  ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
    const url = event.senderFrame?.url ?? '';
    if (!isAppUrl(url)) return { ok: false, error: { code: 'ARG_INVALID', message: 'untrusted sender' } };
    return handler(...(args as Parameters<StudioApi[M]>));
  });
}
