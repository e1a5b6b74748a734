import type { Dataset, SplitName } from '#contract/dataset';
import type { DatasetSummary, Stats } from '../../engine/data/inspect';
import { summarizeDataset } from '../../engine/data/inspect';
import { openDataset } from '../../engine/data/open-dataset';
import { positional } from '../args';
import type { Command } from '../command';
import { JSON_FLAG } from '../flags';

const SPLITS: SplitName[] = ['train', 'valid', 'test'];

// Labels are float32: show them rounded rather than as -2.700000047683716.
function fmt(s: Stats): string {
  const r = (x: number) => String(Number(x.toFixed(3)));
  return `${r(s.min)}..${r(s.max)} (mean ${s.mean.toFixed(2)})`;
}

function table(ds: Dataset, summary: DatasetSummary): string {
  const { info } = ds;
  const rows = [
    ['', ...SPLITS],
    ['n', ...SPLITS.map((s) => String(summary.splits[s].n))],
    ['text [N,T,D]', ...SPLITS.map((s) => `[${summary.splits[s].text.join(',')}]`)],
    ['audio [N,T,D]', ...SPLITS.map((s) => `[${summary.splits[s].audio.join(',')}]`)],
    ['vision [N,T,D]', ...SPLITS.map((s) => `[${summary.splits[s].vision.join(',')}]`)],
    ['length l', ...SPLITS.map((s) => fmt(summary.splits[s].lengths.l))],
    ['length a', ...SPLITS.map((s) => fmt(summary.splits[s].lengths.a))],
    ['length v', ...SPLITS.map((s) => fmt(summary.splits[s].lengths.v))],
    ['labels', ...SPLITS.map((s) => fmt(summary.splits[s].labels))],
    ['non-finite l/a/v', ...SPLITS.map((s) => (['l', 'a', 'v'] as const).map((m) => summary.splits[s].nonfinite[m]).join('/'))],
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const lines = rows.map((r) => `  ${r.map((cell, c) => cell.padEnd(widths[c])).join('  ')}`.trimEnd());
  const head = `${info.name} (${info.format}, ${info.aligned ? 'aligned' : 'unaligned'}${info.synthetic ? ', synthetic' : ''})`;
  const nonfinite = `non-finite values replaced by 0: l ${info.nonfinite.l}, a ${info.nonfinite.a}, v ${info.nonfinite.v}`;
  return [head, ...lines, nonfinite, ...info.warnings.map((w) => `warning: ${w}`)].join('\n');
}

/** `dar inspect <file|folder> [--json]`: shapes, lengths, labels and non-finite counts of a dataset. */
export const inspectCommand: Command<{ json: typeof JSON_FLAG }> = {
  name: 'inspect',
  summary: 'shapes, valid lengths, labels and non-finite counts of an MMSA pickle or clip folder',
  positionals: ['<file|folder>'],
  flags: { json: JSON_FLAG },
  async run(args, io) {
    const path = positional(args, 0, 'dataset file or folder (dar inspect <file|folder>)');
    const ds = await openDataset(path);
    const summary = summarizeDataset(ds);
    io.out(args.flags.json ? JSON.stringify(summary) : table(ds, summary));
    return 0;
  },
};
