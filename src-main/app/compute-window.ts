/**
 * The hidden compute window: the desktop's way to Chromium's WebGPU (D3D12, Metal, Vulkan) and to
 * threaded WASM, which Electron's main process and the engine's worker thread lack. It is never
 * shown, runs sandboxed with context isolation and no Node, in a session of its own (no cookies,
 * storage or permissions shared with the studio page), and loads only the built compute page
 * from dar-compute:// (CSP, COOP/COEP). The engine thread talks to it over one MessagePort that
 * main relays byte for byte (compute-relay.ts). If the window's renderer dies, stops responding
 * or fails to load, the engine hears 'lost' and falls back to its own backend.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { app, BrowserWindow, MessageChannelMain, session } from 'electron';
import type { Session } from 'electron';
import { registerComputeProtocol } from './compute-protocol';
import { computePageUrl } from './compute-switches';
import { relayFrames, sayLost } from './compute-relay';
import type { ComputeRelay } from './compute-relay';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The compute window's own in-memory session. */
const PARTITION = 'dar-compute';
const PORT_MESSAGE = 'dar-compute-port';

/** The compute session: its own protocol handler, every permission refused. */
function computeSession(): Session {
  const s = session.fromPartition(PARTITION, { cache: false });
  registerComputeProtocol(s.protocol);
  s.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  return s;
}

const computeWindows = new WeakSet<BrowserWindow>();

/** True for a compute window (hidden: the user never closes it, so it must not keep the app alive). */
export function isComputeWindow(win: BrowserWindow): boolean {
  return computeWindows.has(win);
}

/**
 * Closes the compute window with the last studio window (off macOS, where the app lives on
 * without windows), so that 'window-all-closed' still ends the app. Call before opening windows.
 */
export function closeComputeWithStudio(platform: string = process.platform): void {
  if (platform === 'darwin') return;
  app.on('browser-window-created', (_event, created) => {
    created.once('closed', () => {
      const left = BrowserWindow.getAllWindows().filter((w) => !w.isDestroyed());
      if (left.length > 0 && left.every(isComputeWindow)) for (const w of left) w.destroy();
    });
  });
}

/** Opens the compute window and links it to the engine's port; returns the window. */
export function openComputeWindow(enginePort: MessagePort): BrowserWindow {
  const win = new BrowserWindow({
    show: false,
    width: 320,
    height: 200,
    title: 'DAR Studio compute',
    webPreferences: {
      preload: join(here, '../preload/compute.cjs'),
      session: computeSession(),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      // Hidden windows are throttled by default; a training step must not wait for a timer.
      backgroundThrottling: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  computeWindows.add(win);
  let relay: ComputeRelay | null = null;
  let gone = false;
  const lost = (reason: string): void => {
    if (gone) return;
    gone = true;
    if (relay) relay.lost(reason);
    else sayLost(enginePort, reason);
    if (!win.isDestroyed()) win.destroy();
  };
  win.webContents.once('did-finish-load', () => {
    const { port1, port2 } = new MessageChannelMain();
    if (gone) return;
    relay = relayFrames(enginePort, port1);
    win.webContents.postMessage(PORT_MESSAGE, null, [port2]);
  });
  win.webContents.on('render-process-gone', (_event, details) => lost(`its renderer ${details.reason} (exit code ${details.exitCode})`));
  win.webContents.on('did-fail-load', (_event, code, description) => lost(`its page did not load (${code} ${description})`));
  win.on('unresponsive', () => lost('it stopped responding'));
  win.on('closed', () => lost('it was closed'));
  void win.loadURL(computePageUrl());
  return win;
}
