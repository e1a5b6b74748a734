/**
 * BERT language features: utterances per second on this machine, and what a MOSI-sized folder
 * (2,199 clips) would take. Figures are printed, not asserted.
 *
 *   npm run bench:extract-bert [-- --model <dir>] [--threads N]
 *
 * The model: --model <dir>; else bert-base-uncased in the studio's model cache if a run has
 * downloaded it; else a BERT-base-shaped model with random weights that
 * `python3 scripts/fixtures/make-tiny-bert.py --base /tmp/bert-base-random` writes (the same
 * compute as the real one: 12 layers, hidden 768, 30,522 pieces). Without any of these it
 * times the tiny test model and says so.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createTextEncoder, defaultCacheDir, DEFAULT_BERT_MODEL, DEFAULT_BERT_REVISION, MODEL_FILES } from '../src-main/engine/extract/language/index';

/** MOSI's size: clips in the whole corpus. */
const MOSI_CLIPS = 2199;
const RANDOM_BASE = '/tmp/bert-base-random';
const TINY = join(import.meta.dirname, '../testing/engine/extract/language/tiny-bert');
const WORDS = 'i think the movie was really good but the ending felt a bit too long and so on'.split(' ');

/** One row of the extraction bench. */
export interface BertBenchRow {
  model: string;
  loadSeconds: number;
  wordsPerUtterance: number;
  utterancesPerSecond: number;
  /** Process CPU seconds per utterance (all threads): what the figure would be on idle cores. */
  cpuSecondsPerUtterance: number;
  mosiMinutes: number;
}

function pickModel(explicit: string | undefined): { dir: string; label: string } {
  if (explicit) return { dir: explicit, label: explicit };
  const cached = join(defaultCacheDir(), DEFAULT_BERT_MODEL, DEFAULT_BERT_REVISION);
  if (MODEL_FILES.every((f) => existsSync(join(cached, f)))) return { dir: cached, label: `${DEFAULT_BERT_MODEL} (cache)` };
  if (existsSync(join(RANDOM_BASE, 'onnx/model.onnx'))) return { dir: RANDOM_BASE, label: 'BERT-base shape, random weights' };
  return { dir: TINY, label: 'TINY test model (no BERT-base found: figures are NOT BERT-base)' };
}

/** Times `count` utterances of `words` words each (after two warm-up passes). */
export async function benchBert(opts: { model?: string; threads?: number; words?: number[]; count?: number } = {}): Promise<BertBenchRow[]> {
  const { dir, label } = pickModel(opts.model);
  const t0 = performance.now();
  const encoder = await createTextEncoder({ modelDir: dir, threads: opts.threads });
  const loadSeconds = (performance.now() - t0) / 1000;
  const rows: BertBenchRow[] = [];
  try {
    for (const n of opts.words ?? [12, 40]) {
      const utterance = Array.from({ length: n }, (_, i) => WORDS[i % WORDS.length]);
      for (let i = 0; i < 2; i++) await encoder.encode(utterance);
      const count = opts.count ?? 40;
      const t1 = performance.now();
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < count; i++) await encoder.encode(utterance);
      const cpu = process.cpuUsage(cpu0);
      const perSecond = count / ((performance.now() - t1) / 1000);
      const cpuSecondsPerUtterance = (cpu.user + cpu.system) / 1e6 / count;
      rows.push({ model: label, loadSeconds, wordsPerUtterance: n, utterancesPerSecond: perSecond, cpuSecondsPerUtterance, mosiMinutes: MOSI_CLIPS / perSecond / 60 });
    }
  } finally {
    await encoder.dispose();
  }
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string' }, threads: { type: 'string' } } });
  const rows = await benchBert({ model: values.model, threads: values.threads ? Number(values.threads) : undefined });
  console.log(`BERT language features: ${rows[0].model}, loaded in ${rows[0].loadSeconds.toFixed(1)} s`);
  for (const r of rows) {
    console.log(
      `  ${r.wordsPerUtterance} words/utterance: ${r.utterancesPerSecond.toFixed(1)} utterances/s (target >= 10), ` +
        `${(r.cpuSecondsPerUtterance * 1000).toFixed(0)} ms CPU each (${(availableParallelism() / r.cpuSecondsPerUtterance).toFixed(1)}/s on ${availableParallelism()} idle cores); ` +
        `MOSI-sized folder (${MOSI_CLIPS} clips): ${r.mosiMinutes.toFixed(1)} min`,
    );
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) await main();
