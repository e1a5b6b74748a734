import { ipcRenderer } from 'electron';

// The compute window's preload: it exposes nothing. It only hands the one MessagePort the main
// process sends (the engine's compute link) to the page's own world, where the compute worker
// takes it (src-compute/main.ts); every later byte flows on that port, never through IPC.
const PORT_MESSAGE = 'dar-compute-port';
// The page's window (the preloads are type-checked without the DOM library).
const page = globalThis as unknown as { postMessage(message: string, targetOrigin: string, transfer: unknown[]): void; location: { origin: string } };

ipcRenderer.once(PORT_MESSAGE, (event) => {
  page.postMessage(PORT_MESSAGE, page.location.origin, event.ports);
});
