/**
 * A small world for the training services' tests: a shrunken demo corpus on disk (16/8/8 clips,
 * no videos), a fresh studio home, and one worker's worth of services over them, recording
 * every event.
 */
import { join } from 'node:path';
import type { EngineEvent } from '#contract/worker-protocol';
import { writeDemoCorpus } from '../../tools/demo-corpus/write-demo-corpus';
import { EngineService } from '../../src-main/worker/engine-service';
import { WorkbenchService } from '../../src-main/worker/workbench/workbench-service';
import { WorkbenchState } from '../../src-main/worker/workbench/workbench-state';
import { createTrainingServices } from '../../src-main/worker/training/training-handlers';
import type { TrainingServices } from '../../src-main/worker/training/training-handlers';
import { STUDIO_HOME_ENV } from '../../src-main/worker/studio-home';

/** The model of every test run: as small as the demo corpus allows to train in seconds. */
export const TINY_MODEL = { d: 16, t: 8, heads: 2 };
/** Training settings of test runs (two steps per epoch on 16 clips). */
export const TINY_TRAIN = { batchSize: 8, lr: 3e-3 };

/** Writes the shrunken demo corpus into folder `dir` and returns it. */
export async function tinyCorpus(dir: string): Promise<string> {
  const out = join(dir, 'demo-small');
  await writeDemoCorpus({ out, corpus: { nTrain: 16, nValid: 8, nTest: 8 }, media: false });
  return out;
}

/** One worker's services. */
export interface World {
  engine: EngineService;
  studio: WorkbenchService;
  services: TrainingServices;
  events: EngineEvent[];
  /** Called synchronously with every event, as the worker emits it (a test can react mid-run). */
  listeners: Set<(e: EngineEvent) => void>;
}

/** Builds the services of one worker over `corpus` (opened as the demo) and studio home `home`. */
export function makeWorld(corpus: string, home: string): World {
  const events: EngineEvent[] = [];
  const listeners = new Set<(e: EngineEvent) => void>();
  const emit = (e: EngineEvent): void => {
    events.push(e);
    for (const l of listeners) l(e);
  };
  const engine = new EngineService(emit);
  const shell = { shell: 'browser' as const, version: 'test', mediaUrl: '/media/{split}/{index}', demoDir: corpus };
  const state = new WorkbenchState({ emit, ready: () => engine.init({}), dataset: (p) => engine.dataset(p), shell });
  const studio = new WorkbenchService(state);
  const services = createTrainingServices({
    engine,
    workbench: state.view(),
    emit,
    shell,
    env: { [STUDIO_HOME_ENV]: home },
    demoModel: state.demoModelPath,
    openInWorkbench: (p) => studio.openDataset(p),
  });
  return { engine, studio, services, events, listeners };
}

/** Waits until an event matching `pred` has been recorded (from index `from` on) and returns it. */
export async function waitForEvent<T extends EngineEvent>(events: EngineEvent[], pred: (e: EngineEvent) => e is T, from = 0, timeoutMs = 240_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const hit = events.slice(from).find(pred);
    if (hit) return hit;
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for an engine event');
    await new Promise((r) => setTimeout(r, 20));
  }
}
