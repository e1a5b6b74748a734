/**
 * The compute page: the desktop's hidden window (and the tests' headless Chromium) runs the
 * engine's models here, on Chromium's WebGPU or threaded WASM, in a worker (compute-worker.ts).
 * It has no UI and no Node; it gets ONE MessagePort, posted to the window with the message
 * 'dar-compute-port' (by the compute window's preload in Electron, by the test harness in a
 * browser), and hands it to the worker. `?backend=webgpu|wasm` forces a rung.
 */
import type { BackendName } from '#contract/worker-protocol';
import type { WorkerNews, WorkerStart } from './compute-worker';

/** The message that carries the port; anything else posted to the window is ignored. */
const PORT_MESSAGE = 'dar-compute-port';

function preferred(): BackendName | null {
  const raw = new URLSearchParams(location.search).get('backend');
  return raw === 'webgpu' || raw === 'wasm' ? raw : null;
}

let started = false;

window.addEventListener('message', (e: MessageEvent) => {
  // Only our own window's message, once: the preload (or the harness) posts it from this window.
  if (started || e.source !== window || e.data !== PORT_MESSAGE || !e.ports[0]) return;
  started = true;
  const worker = new Worker(new URL('./compute-worker.ts', import.meta.url), { type: 'module', name: 'dar-compute' });
  worker.onmessage = (news: MessageEvent<WorkerNews>) => {
    // What the Electron smoke spec and a developer looking at the window read.
    if ('rung' in news.data) {
      document.documentElement.dataset.rung = news.data.rung;
      document.title = `DAR Studio compute: ${news.data.label}`;
    } else document.documentElement.dataset.lost = news.data.lost;
  };
  // ?threads=1: WASM on one thread (the bench's baseline in the same browser).
  const start: WorkerStart = { port: e.ports[0], prefer: preferred(), singleThread: new URLSearchParams(location.search).get('threads') === '1' };
  worker.postMessage(start, [e.ports[0]]);
});
