/**
 * The compute page's worker: the backend and the models run here, off the page's main thread,
 * because tfjs's threaded WASM can start its thread pool only where a thread may block (on a
 * page's main thread it silently runs on one), and a busy main thread would also stall the
 * port. The page hands over the port; the worker says which rung runs (for the window's title).
 */
import type { BackendName } from '#contract/worker-protocol';
import { ComputeServer } from '../src-main/engine/compute/compute-server';
import type { ComputeLink } from '../src-main/engine/compute/compute-protocol';
import { transferOf } from '../src-main/engine/compute/compute-protocol';
import { createModel } from '../src-main/engine/model/registry';
import { initPageBackend } from './page-backend';

/** What the page sends first: the engine's port and the rung to force (null: the ladder). */
export interface WorkerStart {
  port: MessagePort;
  prefer: BackendName | null;
  /** WASM on one thread, as in Node (the bench's baseline). */
  singleThread?: boolean;
}

/** What the worker tells the page: the rung that runs, or why nothing can. */
export type WorkerNews = { rung: BackendName; label: string } | { lost: string };

const scope = self as unknown as { onmessage: ((e: MessageEvent<WorkerStart>) => void) | null; postMessage(news: WorkerNews): void };

function portLink(port: MessagePort): ComputeLink {
  return {
    post: (frame) => port.postMessage(frame, transferOf(frame)),
    onFrame: (listener) => {
      port.onmessage = (e: MessageEvent<ArrayBuffer | Uint8Array>) => listener(e.data instanceof Uint8Array ? e.data : new Uint8Array(e.data));
    },
  };
}

async function start({ port, prefer, singleThread = false }: WorkerStart): Promise<void> {
  const server = new ComputeServer(portLink(port), createModel);
  let ready = false;
  const lost = (reason: string): void => {
    server.lost(reason);
    scope.postMessage({ lost: reason });
  };
  try {
    const info = await initPageBackend(prefer, (reason) => ready && lost(reason), singleThread);
    ready = true;
    server.ready(info);
    scope.postMessage({ rung: info.name, label: info.label });
  } catch (err) {
    lost(err instanceof Error ? err.message : String(err));
  }
}

scope.onmessage = (e) => {
  scope.onmessage = null; // one port, once
  void start(e.data);
};
