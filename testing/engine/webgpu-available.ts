/**
 * Whether forcing the webgpu rung works here (a software adapter counts: it is how the parity
 * tests run without a GPU), for tests that must skip with the reason where it does not (no
 * `webgpu` package binary, no EGL). Also the comparison the parity tests report.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendInfo } from '../../src-main/engine/backend';
import { prepareHeadlessGpuEnv } from '../../src-main/engine/webgpu/dawn-device';

/** null when `--backend webgpu` loads here, else why not; leaves the cpu backend active. */
export async function webgpuUnavailable(): Promise<string | null> {
  const loaded = await loadWebgpuHere();
  return typeof loaded === 'string' ? loaded : null;
}

/** What `--backend webgpu` loads here (its label and adapter), or why it does not; leaves the cpu backend active. */
export async function loadWebgpuHere(): Promise<BackendInfo | string> {
  // Vitest runs test files in forked processes: this is their main thread, so Mesa sees it.
  prepareHeadlessGpuEnv();
  try {
    return await initBackend({ prefer: 'webgpu' });
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
  }
}

/** max |a - b| / max |b|: the error relative to the array's scale (elementwise relative error blows up near zero). */
export function relativeDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}
