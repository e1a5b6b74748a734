import { app } from 'electron';
import { handle } from './typed-ipc';

/** Registers `getAppInfo`. */
export function registerAppInfoIpc(): void {
  handle('getAppInfo', async () => ({
    ok: true as const,
    value: { name: 'DAR Studio', version: app.getVersion(), shell: 'electron' as const },
  }));
}
