import { resolve } from 'node:path';
import { atomicWrite } from '../../engine/checkpoint/atomic-write';
import { formatCsv } from '../../engine/data/feature-files/csv';
import { DarError } from '../../engine/errors';
import { unwrap } from '../../worker/protocol/engine-client';
import { parseArgs, stringFlag } from '../args';
import type { Command } from '../command';
import { backendFlag, withEngine } from '../engine-session';
import { splitFlag } from './evaluate';

/** `dar predict`: complete-input predictions of a checkpoint as a CSV. */
export const predictCommand: Command = {
  name: 'predict',
  summary: 'predictions of a checkpoint on a split, written as id,label,prediction CSV',
  usage: 'dar predict --checkpoint <c> --data <file|folder> --out <preds.csv> [--split test] [--backend B]',
  async run(argv, io) {
    const args = parseArgs(argv);
    const checkpoint = stringFlag(args, 'checkpoint');
    const data = stringFlag(args, 'data');
    const out = stringFlag(args, 'out');
    if (!checkpoint || !data || !out) throw new DarError('ARG_INVALID', 'predict needs --checkpoint, --data and --out');
    const params = { checkpoint: resolve(checkpoint), data: resolve(data), split: splitFlag(args) };
    const table = await withEngine(io, backendFlag(args), async (engine) => unwrap(await engine.call('predict', params)));
    const rows: (string | number)[][] = [['id', 'label', 'prediction']];
    table.ids.forEach((id, i) => rows.push([id, table.labels[i], table.predictions[i]]));
    await atomicWrite(resolve(out), [new TextEncoder().encode(formatCsv(rows))]);
    io.err(`${table.ids.length} predictions (${table.split} split) -> ${resolve(out)}`);
    return 0;
  },
};
