import { fileURLToPath } from 'node:url';
import type { TrainParams } from '../../contract/engine';
import { parseArgs, stringFlag } from '../args';
import type { Command } from '../command';
import { runTraining } from './train';

/** Where the demo corpus and model live in the repository. */
export const DEMO_DIR = fileURLToPath(new URL('../../../resources/demo', import.meta.url));

/**
 * The demo model's settings: the spec's architecture at a smaller width (d = 64) so the
 * committed file stays small and a mask edit re-predicts in a few milliseconds.
 */
export function demoModelParams(data = DEMO_DIR, out = `${DEMO_DIR}/model.safetensors`): TrainParams {
  return { data, out, preset: 'demo', model: { d: 64, t: 16, heads: 4 }, train: { seed: 1111 }, resume: false };
}

/** `dar demo-model`: retrains the committed demo model on the demo corpus. */
export const demoModelCommand: Command = {
  name: 'demo-model',
  summary: 'retrain the demo model on the demo corpus (resources/demo/model.safetensors)',
  usage: 'dar demo-model [--data DIR] [--out FILE] [--backend B]',
  async run(argv, io) {
    const args = parseArgs(argv);
    const params = demoModelParams(stringFlag(args, 'data', DEMO_DIR), stringFlag(args, 'out', `${DEMO_DIR}/model.safetensors`));
    const summary = await runTraining(io, params, args);
    io.out(`demo model: epoch ${summary.selectedEpoch + 1} of ${summary.epochsRun} selected (L_sel ${summary.bestSel.toFixed(4)}), ${summary.seconds.toFixed(0)} s -> ${summary.checkpoint}`);
    return 0;
  },
};
