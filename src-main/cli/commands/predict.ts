import { resolve } from 'node:path';
import { atomicWrite } from '../../engine/checkpoint/atomic-write';
import { formatCsv } from '../../engine/data/feature-files/csv';
import { DarError } from '../../engine/errors';
import { unwrap } from '../../worker/protocol/engine-client';
import type { FlagTable } from '../args';
import type { Command } from '../command';
import { withEngine } from '../engine-session';
import { BACKEND_FLAG, DATA_FLAG, SPLIT_FLAG, backendChoice } from '../flags';

const PREDICT_FLAGS = {
  checkpoint: { type: 'string', value: '<c>', help: 'the checkpoint to predict with' },
  data: DATA_FLAG,
  out: { type: 'string', value: '<preds.csv>', help: 'where the id,label,prediction CSV is written' },
  split: SPLIT_FLAG,
  backend: BACKEND_FLAG,
} as const satisfies FlagTable;

/** `dar predict`: complete-input predictions of a checkpoint as a CSV. */
export const predictCommand: Command<typeof PREDICT_FLAGS> = {
  name: 'predict',
  summary: 'predictions of a checkpoint on a split, written as id,label,prediction CSV',
  flags: PREDICT_FLAGS,
  notes: ['--checkpoint, --data and --out are required.'],
  async run({ flags }, io) {
    const { checkpoint, data, out } = flags;
    if (!checkpoint || !data || !out) throw new DarError('ARG_INVALID', 'predict needs --checkpoint, --data and --out');
    const params = { checkpoint: resolve(checkpoint), data: resolve(data), split: flags.split ?? 'test' };
    const table = await withEngine(io, backendChoice(flags.backend), async (engine) => unwrap(await engine.call('predict', params)));
    const rows: (string | number)[][] = [['id', 'label', 'prediction']];
    table.ids.forEach((id, i) => rows.push([id, table.labels[i], table.predictions[i]]));
    await atomicWrite(resolve(out), [new TextEncoder().encode(formatCsv(rows))]);
    io.err(`${table.ids.length} predictions (${table.split} split) -> ${resolve(out)}`);
    return 0;
  },
};
