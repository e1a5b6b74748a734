/**
 * The engine thread: receives requests on its port, runs them on the worker's services
 * (worker-services.ts) and answers with Results, or with wire frames for a page; events stream
 * back as they happen. Training and inference run here, never on the caller's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineEvent, EngineWorkerData, FromEngine, ToEngine } from '#contract/worker-protocol';
import type { Result } from '#contract/errors';
import { toErrorInfo } from '../../engine/errors';
import { AnswerFrames } from './answer-frames';
import { createWorkerServices, workerHandlers } from '../worker-services';
import { ComputeRung, portLink } from '../compute/compute-rung';
import type { MessagePort } from 'node:worker_threads';

const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');

const send = (message: FromEngine, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const emit = (event: EngineEvent): void => send({ kind: 'event', event });
const shell: EngineWorkerData = { shell: 'browser', version: '0.0.0', mediaUrl: '', ...(workerData as Partial<EngineWorkerData> | undefined) };
// The desktop's compute window, when the shell linked one (engine-client's computePort).
const computePort = (workerData as { computePort?: MessagePort } | undefined)?.computePort;
const services = createWorkerServices(emit, shell, undefined, new ComputeRung(computePort ? portLink(computePort) : null));
port.once('close', () => {
  services.media.dispose();
  services.extract.dispose();
});
const handlers = workerHandlers(services);

// Answers a page gets as wire frames (the browser host's socket), encoded here.
const frames = new AnswerFrames();

type Request = Extract<ToEngine, { kind: 'request' }>;

function isRequest(message: unknown): message is Request {
  const m = message as Request | null;
  return !!m && m.kind === 'request' && Number.isInteger(m.id) && typeof m.method === 'string' && Object.prototype.hasOwnProperty.call(handlers, m.method);
}

/** Sends a result as a response, or as the page's frame (its buffer transferred, not copied), after its preview if it has one. */
function answer({ id, method, frame }: Request, result: Result<unknown>): void {
  if (!frame) return send({ kind: 'response', id, result });
  const preview = frames.preview(frame.id, method, result);
  if (preview) send({ kind: 'preview', id, frame: preview }, [preview.buffer as ArrayBuffer]);
  const bytes = frames.encode(frame.conn, frame.id, method, result);
  send({ kind: 'frame', id, frame: bytes }, [bytes.buffer as ArrayBuffer]); // a fresh buffer of its own: moved, not copied
}

port.on('message', (message: unknown) => {
  const m = message as ToEngine | null;
  if (m?.kind === 'forget' && Number.isInteger(m.conn)) return frames.forget(m.conn);
  if (!isRequest(message)) return; // not ours: dropped
  const { method, params } = message;
  // Requests run concurrently: stopTraining must be answered while train is still going.
  void (async () => {
    try {
      const value = await handlers[method](params as never);
      answer(message, { ok: true, value });
    } catch (err) {
      answer(message, { ok: false, error: toErrorInfo(err) });
    }
  })();
});
