/**
 * Throwaway checkpoints for the studio's tests: a tiny model trained for one epoch on the demo
 * corpus (so the tests never depend on the shipped demo model), and one trained on a different
 * dataset, whose dims do not match the demo's.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineService } from '../../src-main/worker/engine-service';

/** The demo corpus of the checkout. */
export const DEMO_DIR = fileURLToPath(new URL('../../resources/demo', import.meta.url));
/** A tiny clip folder whose feature dims differ from the demo's. */
export const OTHER_DATASET = fileURLToPath(new URL('../engine/data/features/clip-folder', import.meta.url));

const TINY = { d: 16, t: 8, heads: 2 };

/** Trains a one-epoch tiny model on `data` into folder `dir` and returns its path. */
export async function tinyCheckpoint(engine: EngineService, data: string, name: string, dir: string): Promise<string> {
  const out = join(dir, `${name}.safetensors`);
  await engine.train({ data, out, preset: 'demo', model: TINY, train: { epochs: 1, batchSize: 32, lr: 3e-3 }, resume: false });
  return out;
}
