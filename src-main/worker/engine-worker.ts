/**
 * The engine thread: receives requests on its port, runs them on the EngineService (training,
 * evaluation) or the StudioService (the open dataset, explain) and answers with Results; events
 * stream back as they happen. Training and inference run here, never on the caller's thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineEvent, EngineWorkerData, FromEngine, ToEngine, WorkerMethod } from '../contract/engine';
import { toErrorInfo } from '../engine/errors';
import { EngineService } from './engine-service';
import { StudioAnnotations, annotationHandlers } from './studio-annotations';
import { StudioMedia, mediaHandlers } from './studio-media';
import { StudioService } from './studio-service';
import { createTrainingServices, trainingHandlers } from './studio-training-methods';

const port = parentPort;
if (!port) throw new Error('engine-worker must run in a worker thread');

const send = (message: FromEngine): void => port.postMessage(message);
const emit = (event: EngineEvent): void => send({ kind: 'event', event });
const shell: EngineWorkerData = { shell: 'browser', version: '0.0.0', mediaUrl: '', ...(workerData as Partial<EngineWorkerData> | undefined) };
const engine = new EngineService(emit);
const studio = new StudioService({ emit, ready: () => engine.init({}), dataset: (path) => engine.dataset(path), shell });
const training = createTrainingServices({ engine, studio, emit, shell });
// The project file closes with the thread: better-sqlite3 closes open databases on environment teardown (terminate).
const annotations = new StudioAnnotations({ studio, shell });
// Waveforms, filmstrips and playable videos; it answers getClip and mediaFile so both follow a transcode.
const media = new StudioMedia({ mediaFile: (p) => studio.mediaFile(p), emit, mediaUrl: shell.mediaUrl });
port.once('close', () => media.dispose());

const handlers: Record<WorkerMethod, (params: never) => unknown> = {
  init: (p) => engine.init(p),
  train: (p) => engine.train(p),
  evaluate: (p) => engine.evaluate(p),
  predict: (p) => engine.predict(p),
  mediaFile: (p) => media.mediaFile(p),
  getAppInfo: () => studio.getAppInfo(),
  openDataset: (p) => studio.openDataset(p),
  getOverview: () => studio.getOverview(),
  listClips: (p) => studio.listClips(p),
  getClip: async (p) => media.withPlayback(await studio.getClip(p)),
  explain: (p) => studio.explain(p),
  randomMask: (p) => studio.randomMask(p),
  // Training, robustness, experiments, feature space; stopTraining also serves the engine's callers.
  ...trainingHandlers(training),
  ...annotationHandlers(annotations),
  ...mediaHandlers(media),
};

function isRequest(message: unknown): message is ToEngine {
  const m = message as ToEngine | null;
  return !!m && m.kind === 'request' && Number.isInteger(m.id) && typeof m.method === 'string' && Object.prototype.hasOwnProperty.call(handlers, m.method);
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
