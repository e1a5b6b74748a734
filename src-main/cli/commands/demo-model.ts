import { fileURLToPath } from 'node:url';
import type { TrainParams } from '#contract/worker-protocol';
import type { FlagTable } from '../args';
import type { Command } from '../command';
import { BACKEND_FLAG, backendChoice } from '../flags';
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

const DEMO_MODEL_FLAGS = {
  data: { type: 'string', value: 'DIR', help: 'demo corpus to train on [resources/demo]' },
  out: { type: 'string', value: 'FILE', help: 'where the model is written [resources/demo/model.safetensors]' },
  backend: BACKEND_FLAG,
} as const satisfies FlagTable;

/** `dar demo-model`: retrains the committed demo model on the demo corpus. */
export const demoModelCommand: Command<typeof DEMO_MODEL_FLAGS> = {
  name: 'demo-model',
  summary: 'retrain the demo model on the demo corpus (resources/demo/model.safetensors)',
  flags: DEMO_MODEL_FLAGS,
  async run({ flags }, io) {
    const params = demoModelParams(flags.data, flags.out);
    const summary = await runTraining(io, params, backendChoice(flags.backend));
    io.out(`demo model: epoch ${summary.selectedEpoch + 1} of ${summary.epochsRun} selected (L_sel ${summary.bestSel.toFixed(4)}), ${summary.seconds.toFixed(0)} s -> ${summary.checkpoint}`);
    return 0;
  },
};
