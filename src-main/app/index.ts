import { app, BrowserWindow } from 'electron';
import { registerAppProtocol } from './app-protocol';
import { startStudioEngine } from './engine';
import { registerMediaProtocol } from './media-protocol';
import { registerPrivilegedSchemes } from './schemes';
import { registerSecurity } from './security';
import { registerStudioIpc } from './studio-ipc';
import { openMainWindow } from './window';

// The main process only wires features together and opens the window; each feature lives in
// its own module with one registerX() (the electron/fiddle habit).
registerPrivilegedSchemes(); // app:// and dar-media://, declared before `ready`

void app.whenReady().then(() => {
  const engine = startStudioEngine();
  registerSecurity();
  registerAppProtocol();
  registerMediaProtocol(engine);
  registerStudioIpc(engine);
  openMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
