import { resolve } from 'node:path';
import { DarError } from '../../engine/errors';
import { reportToMarkdown } from '../../engine/eval/robustness';
import { unwrap } from '../../worker/protocol/engine-client';
import type { FlagTable } from '../args';
import type { Command } from '../command';
import { withEngine } from '../engine-session';
import { BACKEND_FLAG, DATA_FLAG, JSON_FLAG, SPLIT_FLAG, backendChoice } from '../flags';

// Several checkpoints (e.g. three training seeds) come as one comma-separated value.
function checkpointList(value: string | undefined): string[] {
  return (value ?? '').split(',').filter(Boolean).map((c) => resolve(c));
}

function seedsFlag(s: string | undefined): number[] | undefined {
  if (s === undefined) return undefined;
  const seeds = s.split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
  if (seeds.some((x) => !Number.isSafeInteger(x))) throw new DarError('ARG_INVALID', `--seeds must be comma-separated integers, got "${s}"`);
  return seeds;
}

const EVAL_FLAGS = {
  checkpoint: { type: 'string', value: '<c[,c2,...]>', help: 'checkpoint(s); several (e.g. three training seeds) are averaged' },
  data: DATA_FLAG,
  split: SPLIT_FLAG,
  seeds: { type: 'string', value: '<s[,s2,...]>', help: 'evaluation mask draws to average over [1111]' },
  backend: BACKEND_FLAG,
  json: JSON_FLAG,
} as const satisfies FlagTable;

/** `dar eval`: the paper's robustness report of one or more checkpoints. */
export const evalCommand: Command<typeof EVAL_FLAGS> = {
  name: 'eval',
  summary: 'robustness report: 8 metrics at missing rates 0.0-0.9, their mean, each modality removed',
  flags: EVAL_FLAGS,
  notes: ['--checkpoint and --data are required.'],
  async run({ flags }, io) {
    const checkpoints = checkpointList(flags.checkpoint);
    if (!checkpoints.length) throw new DarError('ARG_INVALID', 'missing --checkpoint <ckpt.safetensors>');
    if (!flags.data) throw new DarError('ARG_INVALID', 'missing --data <file|folder>');
    const params = { checkpoints, data: resolve(flags.data), split: flags.split ?? 'test', seeds: seedsFlag(flags.seeds) };
    let last = -1;
    const report = await withEngine(io, backendChoice(flags.backend), async (engine) => unwrap(await engine.call('evaluate', params)), (e) => {
      if (e.type !== 'eval-progress') return;
      const pct = Math.floor((100 * e.done) / e.total);
      if (pct >= last + 10 || e.done === e.total) {
        last = pct;
        io.err(`evaluating: ${e.done}/${e.total} conditions (${pct} %)`);
      }
    });
    io.out(flags.json ? JSON.stringify(report, null, 2) : reportToMarkdown(report));
    return 0;
  },
};
