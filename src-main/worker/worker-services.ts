/**
 * The worker's composition root: builds every service once, each given what it needs (the
 * engine, the workbench's read side, events, the shell's settings), and the routing table of
 * every method the worker answers. The thread's message loop (protocol/engine-worker.ts) only
 * calls these handlers.
 */
import type { ComputeRung } from './compute/compute-rung';
import { ExplainRouting } from './compute/explain-routing';
import type { EngineEvent, EngineWorkerData, WorkerMethod } from '#contract/worker-protocol';
import { AnnotationsService, annotationHandlers } from './annotations/annotations-service';
import { EngineService } from './engine-service';
import { ExtractService, extractHandlers } from './extract/extract-service';
import { MediaService, mediaHandlers } from './media/media-service';
import { createTrainingServices, trainingHandlers } from './training/training-handlers';
import type { TrainingServices } from './training/training-handlers';
import { WorkbenchService } from './workbench/workbench-service';
import { WorkbenchState } from './workbench/workbench-state';

/** Every service of one worker. */
export interface WorkerServices {
  engine: EngineService;
  state: WorkbenchState;
  workbench: WorkbenchService;
  training: TrainingServices;
  annotations: AnnotationsService;
  media: MediaService;
  extract: ExtractService;
}

/**
 * Builds the services of one worker; `env` supplies DAR_STUDIO_HOME and DAR_MEDIA_CACHE
 * [process.env]; `compute` is the desktop's compute window, where training computes when it is up.
 */
export function createWorkerServices(emit: (event: EngineEvent) => void, shell: EngineWorkerData, env?: NodeJS.ProcessEnv, compute?: ComputeRung): WorkerServices {
  const engine = new EngineService(emit);
  const state = new WorkbenchState({ emit, ready: () => engine.init({}), dataset: (path) => engine.dataset(path), shell });
  const routing = compute && new ExplainRouting(compute, async () => (await engine.init({})).label);
  const workbench = new WorkbenchService(state, routing);
  const view = state.view();
  const training = createTrainingServices({
    engine,
    workbench: view,
    emit,
    shell,
    env,
    compute,
    demoModel: state.demoModelPath,
    openInWorkbench: (p) => workbench.openDataset(p),
  });
  // The project file closes with the thread: better-sqlite3 closes open databases on environment teardown (terminate).
  const annotations = new AnnotationsService({ workbench: view, explain: (p) => workbench.explain(p), shell, env });
  // Waveforms, filmstrips and playable videos; it answers getClip and mediaFile so both follow a transcode.
  const media = new MediaService({ mediaFile: (p) => workbench.mediaFile(p), emit, mediaUrl: shell.mediaUrl });
  // "Import videos": a folder of videos becomes a clip folder, in the background.
  const extract = new ExtractService({ emit, cacheDir: media.cacheDir });
  return { engine, state, workbench, training, annotations, media, extract };
}

/** The handler of every worker method; params arrive unchecked and every service checks them. */
export function workerHandlers(s: WorkerServices): Record<WorkerMethod, (params: never) => unknown> {
  const { engine, workbench, media } = s;
  return {
    init: (p) => engine.init(p),
    train: (p) => engine.train(p),
    evaluate: (p) => engine.evaluate(p),
    predict: (p) => engine.predict(p),
    mediaFile: (p) => media.mediaFile(p),
    getAppInfo: () => workbench.getAppInfo(),
    openDataset: (p) => workbench.openDataset(p),
    getOverview: () => workbench.getOverview(),
    listClips: (p) => workbench.listClips(p),
    getClip: async (p) => media.withPlayback(await workbench.getClip(p)),
    explain: (p) => workbench.explain(p),
    explainSecond: (p) => workbench.explainSecond(p),
    randomMask: (p) => workbench.randomMask(p),
    // Training, robustness, experiments, feature space; stopTraining also serves the engine's callers.
    ...trainingHandlers(s.training),
    ...annotationHandlers(s.annotations),
    ...mediaHandlers(s.media),
    ...extractHandlers(s.extract),
  };
}
