import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RobustnessReport } from '#contract/eval';
import { parseCsv } from '../../engine/data/feature-files/csv';
import { main } from '../main';
import { DEMO_DIR } from './demo-model';
import { useTempDir } from '../../../testing/temp-dir';

function fakeIo(): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}

// One short run on the embedded demo corpus drives train, eval and predict end to end through
// the engine worker, as a user would from the shell.
describe('dar train / eval / predict on the demo corpus', () => {
  const dir = useTempDir('dar-cli-');
  const ckpt = join(dir, 'tiny.safetensors');

  it('trains, lowering the validation L_sel, and writes a checkpoint', async () => {
    const { io, out, err } = fakeIo();
    const code = await main(['train', '--data', DEMO_DIR, '--out', ckpt, '--epochs', '4', '--d', '16', '--t', '8', '--heads', '2', '--batch', '32', '--lr', '3e-3', '--json'], io);
    expect(err.join('\n')).toMatch(/backend: /);
    expect(code).toBe(0);
    const summary = JSON.parse(out.join('\n'));
    expect(summary.epochsRun).toBe(4);
    expect(summary.selectedEpoch).toBeGreaterThan(0); // a later epoch beat the first on L_sel
    expect(err.filter((l) => /^epoch \d\/4/.test(l))).toHaveLength(4);
  }, 120_000);

  it('reports robustness over the rates with nested corruption', async () => {
    const { io, out } = fakeIo();
    expect(await main(['eval', '--checkpoint', ckpt, '--data', DEMO_DIR, '--json'], io)).toBe(0);
    const report = JSON.parse(out.join('\n')) as RobustnessReport;
    expect(Object.keys(report.rates)).toEqual(['0.0', '0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9']);
    expect(Object.keys(report.removed)).toEqual(['l', 'a', 'v']);
    const maes = Object.values(report.rates).map((m) => m.MAE!);
    expect(report.mean.MAE).toBeCloseTo(maes.reduce((s, x) => s + x, 0) / maes.length, 12);
    expect(report.meta).toMatchObject({ n: 40, split: 'test', models: 1, seeds: [1111] });
  }, 40_000);

  it('writes predictions as id,label,prediction', async () => {
    const { io } = fakeIo();
    const csv = join(dir, 'preds.csv');
    expect(await main(['predict', '--checkpoint', ckpt, '--data', DEMO_DIR, '--out', csv], io)).toBe(0);
    const rows = parseCsv(readFileSync(csv, 'utf8'));
    expect(rows[0]).toEqual(['id', 'label', 'prediction']);
    expect(rows).toHaveLength(41);
    expect(rows.slice(1).every((r) => Number.isFinite(Number(r[2])))).toBe(true);
  }, 20_000);

  it('refuses a missing checkpoint with a coded error', async () => {
    const { io, err } = fakeIo();
    expect(await main(['eval', '--checkpoint', join(dir, 'nope.safetensors'), '--data', DEMO_DIR], io)).toBe(2);
    expect(err.at(-1)).toMatch(/^error (FILE_NOT_FOUND|CHECKPOINT_MALFORMED): /);
  }, 20_000);
});
