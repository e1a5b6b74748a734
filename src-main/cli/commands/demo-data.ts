import { fileURLToPath } from 'node:url';
import { DEMO_DEFAULTS } from '../../../tools/demo-corpus/demo-corpus';
import { writeDemoCorpus } from '../../../tools/demo-corpus/write-demo-corpus';
import type { DemoWriteReport } from '../../../tools/demo-corpus/write-demo-corpus';
import type { FlagTable } from '../args';
import type { Command } from '../command';
import { JSON_FLAG } from '../flags';

/** resources/demo of this checkout, found from this file so the command works from any cwd. */
export const DEFAULT_DEMO_DIR = fileURLToPath(new URL('../../../resources/demo', import.meta.url));

const DEMO_DATA_FLAGS = {
  out: { type: 'string', value: 'DIR', help: 'folder to (re)create [resources/demo of this checkout]' },
  'no-media': { type: 'boolean', help: 'keep the existing videos instead of making them with ffmpeg and espeak-ng (also what happens, with a warning, when those tools are missing)' },
  seed: { type: 'integer', value: 'N', help: `generator seed [${DEMO_DEFAULTS.seed}]` },
  train: { type: 'integer', value: 'N', help: `training clips [${DEMO_DEFAULTS.nTrain}]` },
  valid: { type: 'integer', value: 'N', help: `validation clips [${DEMO_DEFAULTS.nValid}]` },
  test: { type: 'integer', value: 'N', help: `test clips [${DEMO_DEFAULTS.nTest}]` },
  json: JSON_FLAG,
} as const satisfies FlagTable;

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
export const demoDataCommand: Command<typeof DEMO_DATA_FLAGS> = {
  name: 'demo-data',
  summary: 'regenerate the synthetic demo corpus (resources/demo) deterministically',
  flags: DEMO_DATA_FLAGS,
  async run({ flags }, io) {
    const report = await writeDemoCorpus({
      out: flags.out ?? DEFAULT_DEMO_DIR,
      media: !flags['no-media'],
      corpus: {
        seed: flags.seed ?? DEMO_DEFAULTS.seed,
        nTrain: flags.train ?? DEMO_DEFAULTS.nTrain,
        nValid: flags.valid ?? DEMO_DEFAULTS.nValid,
        nTest: flags.test ?? DEMO_DEFAULTS.nTest,
      },
      log: flags.json ? undefined : (line) => io.err(line),
    });
    io.out(flags.json ? JSON.stringify(report) : summary(report));
    return 0;
  },
};
