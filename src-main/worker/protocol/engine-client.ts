/**
 * The caller's side of the engine worker: one typed `call` per method, events to listeners.
 * Used by the Electron main process, the browser host and the CLI alike.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { EngineEvent, EngineWorkerData, FromEngine, ToEngine, WorkerMethod, WorkerMethods } from '#contract/worker-protocol';
import type { Result } from '#contract/errors';
import { encodeMessage } from '#contract/wire-codec';
import { DarError } from '../../engine/errors';

/** A running engine worker. */
export interface EngineClient {
  /** Calls an engine or studio method; resolves to its Result (errors as data, never a rejection). */
  call<M extends WorkerMethod>(method: M, params: WorkerMethods[M][0]): Promise<Result<WorkerMethods[M][1]>>;
  /**
   * Calls a studio method for page connection `conn` and gets the frame that page is sent,
   * `{ id: pageId, result }`, encoded on the engine thread (explain answers as memo frames).
   */
  callFrame(method: WorkerMethod, params: unknown, conn: number, pageId: number, onPreview?: (frame: Uint8Array) => void): Promise<Uint8Array>;
  /** Drops what the engine keeps for page connection `conn` (it closed). */
  forget(conn: number): void;
  /** Listens to events; returns the function that stops listening. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  /** Ends the worker. */
  close(): Promise<void>;
}

/** The worker entry: the bundled JS next to this file in a build, the tsx bootstrap in sources. */
function defaultEntry(): URL {
  const built = new URL('./engine-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  return new URL('./engine-worker-dev.mjs', import.meta.url);
}

/** Options of {@link startEngine}. */
export interface StartEngineOptions {
  /** The worker script [the bundled engine-worker.js beside this file, else the tsx bootstrap]. */
  entry?: URL;
  /** What the shell tells the worker (its name, version and media URL scheme). */
  workerData?: EngineWorkerData;
  /** The engine's end of a compute link (the desktop's compute window), moved to the worker. */
  computePort?: MessagePort;
}

/** Starts an engine worker. */
export function startEngine(options: StartEngineOptions = {}): EngineClient {
  // The worker answers in messages; anything it prints is a log line, so it goes to stderr and
  // stdout stays the caller's (`dar serve` prints exactly one line there, `--json` a document).
  const { computePort } = options;
  const workerData = computePort ? { ...options.workerData, computePort } : options.workerData;
  const worker = new Worker(options.entry ?? defaultEntry(), { workerData, transferList: computePort ? [computePort] : [], stdout: true });
  worker.stdout.pipe(process.stderr, { end: false });
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const pendingFrames = new Map<number, { pageId: number; resolve: (frame: Uint8Array) => void; onPreview?: (frame: Uint8Array) => void }>();
  const listeners = new Set<(event: EngineEvent) => void>();
  let nextId = 1;
  const failAll = (message: string): void => {
    for (const resolve of pending.values()) resolve({ ok: false, error: { code: 'INTERNAL', message } });
    pending.clear();
    for (const { pageId, resolve } of pendingFrames.values()) resolve(encodeMessage({ id: pageId, result: { ok: false, error: { code: 'INTERNAL', message } } }));
    pendingFrames.clear();
  };
  worker.on('message', (message: FromEngine) => {
    if (message.kind === 'response') {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    } else if (message.kind === 'preview') {
      pendingFrames.get(message.id)?.onPreview?.(message.frame);
    } else if (message.kind === 'frame') {
      pendingFrames.get(message.id)?.resolve(message.frame);
      pendingFrames.delete(message.id);
    } else if (message.kind === 'event') for (const l of listeners) l(message.event);
    else failAll(message.error.message);
  });
  worker.on('error', (err) => failAll(`engine worker crashed: ${err.message}`));
  worker.on('exit', (code) => failAll(`engine worker exited (code ${code})`));
  return {
    call(method, params) {
      const id = nextId++;
      const request: ToEngine = { kind: 'request', id, method, params };
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
        worker.postMessage(request);
      });
    },
    callFrame(method, params, conn, pageId, onPreview) {
      const id = nextId++;
      const request: ToEngine = { kind: 'request', id, method, params, frame: { conn, id: pageId } };
      return new Promise((resolve) => {
        pendingFrames.set(id, { pageId, resolve, onPreview });
        worker.postMessage(request);
      });
    },
    forget(conn) {
      worker.postMessage({ kind: 'forget', conn } satisfies ToEngine);
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** The value of a Result, or its error thrown as a DarError (for callers that prefer exceptions). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new DarError(result.error.code, result.error.message);
}
