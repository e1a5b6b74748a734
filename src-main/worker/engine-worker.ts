/**
 * The engine thread: receives requests on its port, runs them on the EngineService and answers
 * with Results; events stream back as they happen. Training and inference run here, never on
 * the caller's thread.
 */
import { parentPort } from 'node:worker_threads';
import type { EngineEvent, EngineMethod, FromEngine, ToEngine } from '../contract/engine';
import { toErrorInfo } from '../engine/errors';
import { EngineService } from './engine-service';

const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');

const send = (message: FromEngine): void => port.postMessage(message);
const service = new EngineService((event: EngineEvent) => send({ kind: 'event', event }));

const handlers: Record<EngineMethod, (params: never) => unknown> = {
  init: (p) => service.init(p),
  train: (p) => service.train(p),
  stopTraining: () => service.stopTraining(),
  evaluate: (p) => service.evaluate(p),
  predict: (p) => service.predict(p),
};

function isRequest(message: unknown): message is ToEngine {
  const m = message as ToEngine | null;
  return !!m && m.kind === 'request' && Number.isInteger(m.id) && typeof m.method === 'string' && m.method in handlers;
}

port.on('message', (message: unknown) => {
  if (!isRequest(message)) return; // not ours: dropped
  const { id, method, params } = message;
  // Requests run concurrently: stopTraining must be answered while train is still going.
  void (async () => {
    try {
      const value = await handlers[method](params as never);
      send({ kind: 'response', id, result: { ok: true, value } });
    } catch (err) {
      send({ kind: 'response', id, result: { ok: false, error: toErrorInfo(err) } });
    }
  })();
});
