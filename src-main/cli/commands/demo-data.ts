import { fileURLToPath } from 'node:url';
import { DarError } from '../../engine/errors';
import { DEMO_DEFAULTS } from '../../../tools/demo-corpus/demo-corpus';
import { writeDemoCorpus } from '../../../tools/demo-corpus/write-demo-corpus';
import type { DemoWriteReport } from '../../../tools/demo-corpus/write-demo-corpus';
import { numberFlag, parseArgs, stringFlag } from '../args';
import type { Command } from '../command';

/** resources/demo of this checkout, found from this file so the command works from any cwd. */
export const DEFAULT_DEMO_DIR = fileURLToPath(new URL('../../../resources/demo', import.meta.url));

function intFlag(args: ReturnType<typeof parseArgs>, name: string, fallback: number): number {
  const n = numberFlag(args, name, fallback) as number;
  if (!Number.isSafeInteger(n)) throw new DarError('ARG_INVALID', `--${name} must be an integer, got ${n}`);
  return n;
}

function summary(r: DemoWriteReport): string {
  const kib = (b: number): string => `${(b / 1024).toFixed(0)} KiB`;
  const videos = r.videos.map((v) => `  ${v.path}  ${v.duration.toFixed(2)} s  ${kib(v.bytes)}  (${v.source})`);
  return [
    `wrote ${r.out} (SYNTHETIC demo corpus): ${r.clips.train}/${r.clips.valid}/${r.clips.test} clips, ${(r.bytes / 1048576).toFixed(1)} MiB`,
    `${r.videos.length} videos${videos.length ? ':' : ''}`,
    ...videos,
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

/** `dar demo-data [--out DIR] [--no-media]`: regenerates the synthetic demo corpus. */
export const demoDataCommand: Command = {
  name: 'demo-data',
  summary: 'regenerate the synthetic demo corpus (resources/demo) deterministically',
  usage: [
    'dar demo-data [--out DIR] [--no-media] [--seed N] [--train N --valid N --test N] [--json]',
    '  --out DIR     folder to (re)create (default: resources/demo of this checkout)',
    '  --no-media    keep the existing videos instead of making them with ffmpeg and espeak-ng',
    '                (also what happens, with a warning, when those tools are missing)',
  ].join('\n'),
  booleanFlags: ['no-media', 'json'],
  async run(argv, io) {
    const args = parseArgs(argv, ['no-media', 'json']);
    if (args.positionals.length > 0) throw new DarError('ARG_INVALID', `dar demo-data takes no positional arguments, got "${args.positionals[0]}"`);
    const report = await writeDemoCorpus({
      out: stringFlag(args, 'out', DEFAULT_DEMO_DIR) as string,
      media: !args.flags.has('no-media'),
      corpus: {
        seed: intFlag(args, 'seed', DEMO_DEFAULTS.seed),
        nTrain: intFlag(args, 'train', DEMO_DEFAULTS.nTrain),
        nValid: intFlag(args, 'valid', DEMO_DEFAULTS.nValid),
        nTest: intFlag(args, 'test', DEMO_DEFAULTS.nTest),
      },
      log: args.flags.has('json') ? undefined : (line) => io.err(line),
    });
    io.out(args.flags.has('json') ? JSON.stringify(report) : summary(report));
    return 0;
  },
};
