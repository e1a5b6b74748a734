import { MessageChannel } from 'node:worker_threads';
import { app, BrowserWindow } from 'electron';
import { registerAppProtocol } from './app-protocol';
import { computeWindowWanted, enableWebGpuSwitches } from './compute-switches';
import { closeComputeWithStudio, isComputeWindow, openComputeWindow } from './compute-window';
import { startStudioEngine } from './engine';
import { registerMediaProtocol } from './media-protocol';
import { registerPrivilegedSchemes } from './schemes';
import { registerSecurity } from './security';
import { registerStudioIpc } from './studio-ipc';
import { openMainWindow } from './window';

// The main process only wires features together and opens the window; each feature lives in
// its own module with one registerX() (the electron/fiddle habit).
registerPrivilegedSchemes(); // app://, dar-compute:// and dar-media://, declared before `ready`
// WebGPU for the compute window (Linux: behind switches, set before `ready`).
const computing = computeWindowWanted();
if (computing) enableWebGpuSwitches(app.commandLine);

void app.whenReady().then(() => {
  // The engine thread computes in the hidden compute window through this channel; main relays.
  const link = computing ? new MessageChannel() : null;
  const engine = startStudioEngine(link?.port1);
  if (link) closeComputeWithStudio();
  registerSecurity();
  registerAppProtocol();
  registerMediaProtocol(engine);
  registerStudioIpc(engine);
  openMainWindow();
  if (link) openComputeWindow(link.port2);
  app.on('activate', () => {
    // The hidden compute window does not count: macOS reopens the studio when none is left.
    if (BrowserWindow.getAllWindows().every(isComputeWindow)) openMainWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
