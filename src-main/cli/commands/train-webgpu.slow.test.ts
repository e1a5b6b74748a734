import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RobustnessReport } from '#contract/eval';
import { trainConfigFor } from '../../engine/train/config';
import { main } from '../main';
import { DEMO_DIR } from './demo-model';
import { useTempDir } from '../../../testing/temp-dir';
import { relativeDiff, webgpuUnavailable } from '../../../testing/engine/webgpu-available';

// `dar train --backend webgpu` end to end (here on the software adapter), and the checkpoint it
// selects scored again by `dar eval` on WebAssembly: the same figures the run reported.
const unavailable = await webgpuUnavailable();
if (unavailable) console.warn(`dar train --backend webgpu test skipped: ${unavailable}`);

function fakeIo(): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}

describe.skipIf(unavailable !== null)('dar train --backend webgpu', () => {
  const dir = useTempDir('dar-webgpu-');

  it('trains on WebGPU, names the rung and adapter, and dar eval on wasm matches its figures', async () => {
    const ckpt = join(dir, 'gpu.safetensors');
    const run = fakeIo();
    const code = await main(['train', '--data', DEMO_DIR, '--out', ckpt, '--epochs', '1', '--d', '16', '--t', '8', '--heads', '2', '--batch', '32', '--backend', 'webgpu', '--json'], run.io);
    expect(run.err.join('\n')).toMatch(/backend: WebGPU \(/);
    expect(code).toBe(0);
    const summary = JSON.parse(run.out.join('\n'));
    expect(summary.backendInfo).toMatchObject({ name: 'webgpu', tfBackend: 'webgpu', adapter: { software: true } });
    expect(summary.backend).toMatch(/^WebGPU/);
    const reported = summary.selectedValid.metrics as unknown as Record<string, number>;

    const evalRun = fakeIo();
    expect(await main(['eval', '--checkpoint', ckpt, '--data', DEMO_DIR, '--split', 'valid', '--backend', 'wasm', '--json'], evalRun.io)).toBe(0);
    expect(evalRun.err.join('\n')).toMatch(/backend: WebAssembly/);
    const report = JSON.parse(evalRun.out.join('\n')) as RobustnessReport;
    // Selection scored the validation split at the training's validation rate with the same masks.
    const rate = trainConfigFor(undefined).validRate.toFixed(1);
    const again = report.rates[rate] as unknown as Record<string, number>;
    const diffs = Object.keys(reported).map((k) => [k, relativeDiff([again[k]], [reported[k]])] as const);
    console.info(`dar eval on wasm vs the webgpu run's own figures (valid, rate ${rate}): max relative difference ${Math.max(...diffs.map((d) => d[1])).toExponential(2)}`);
    for (const [k, d] of diffs) expect(d, k).toBeLessThan(1e-4);
  }, 240_000);
});
