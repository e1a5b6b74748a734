import { resolve } from 'node:path';
import type { SplitName } from '../../contract/dataset';
import { DarError } from '../../engine/errors';
import { reportToMarkdown } from '../../engine/eval/robustness';
import { unwrap } from '../../worker/protocol/engine-client';
import type { ParsedArgs } from '../args';
import { parseArgs, stringFlag } from '../args';
import type { Command } from '../command';
import { backendFlag, withEngine } from '../engine-session';

/** The --split flag (test by default). */
export function splitFlag(args: ParsedArgs): SplitName {
  const s = stringFlag(args, 'split', 'test')!;
  if (!['train', 'valid', 'test'].includes(s)) throw new DarError('ARG_INVALID', `--split must be train, valid or test, got "${s}"`);
  return s as SplitName;
}

function seedsFlag(args: ParsedArgs): number[] | undefined {
  const s = stringFlag(args, 'seeds');
  if (s === undefined) return undefined;
  const seeds = s.split(',').map((x) => Number(x.trim()));
  if (seeds.some((x) => !Number.isSafeInteger(x))) throw new DarError('ARG_INVALID', `--seeds must be comma-separated integers, got "${s}"`);
  return seeds;
}

/** `dar eval`: the paper's robustness report of one or more checkpoints. */
export const evalCommand: Command = {
  name: 'eval',
  summary: 'robustness report: 8 metrics at missing rates 0.0-0.9, their mean, each modality removed',
  usage: [
    'dar eval --checkpoint <c[,c2,...]> --data <file|folder> [--split test] [--seeds 1111,1112,1113] [--backend B] [--json]',
    '  several checkpoints (e.g. three training seeds) are averaged; --seeds averages over evaluation mask draws [1111]',
  ].join('\n'),
  booleanFlags: ['json'],
  async run(argv, io) {
    const args = parseArgs(argv, ['json']);
    const checkpoints = (stringFlag(args, 'checkpoint') ?? '').split(',').filter(Boolean).map((c) => resolve(c));
    const data = stringFlag(args, 'data');
    if (!checkpoints.length) throw new DarError('ARG_INVALID', 'missing --checkpoint <ckpt.safetensors>');
    if (!data) throw new DarError('ARG_INVALID', 'missing --data <file|folder>');
    const params = { checkpoints, data: resolve(data), split: splitFlag(args), seeds: seedsFlag(args) };
    let last = -1;
    const report = await withEngine(io, backendFlag(args), async (engine) => unwrap(await engine.call('evaluate', params)), (e) => {
      if (e.type !== 'eval-progress') return;
      const pct = Math.floor((100 * e.done) / e.total);
      if (pct >= last + 10 || e.done === e.total) {
        last = pct;
        io.err(`evaluating: ${e.done}/${e.total} conditions (${pct} %)`);
      }
    });
    io.out(args.flags.has('json') ? JSON.stringify(report, null, 2) : reportToMarkdown(report));
    return 0;
  },
};
