import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createRequire } from 'node:module';
import { backendFromEnv, initBackend } from './backend';
import type { BackendInfo, BackendName } from './backend';
import { DarError } from './errors';

const NATIVE = { gpu: '@tensorflow/tfjs-node-gpu', native: '@tensorflow/tfjs-node' } as const;

/** Whether a package is installed at all (an installed one may still fail to load, e.g. without its binary). */
function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

async function matMulOn(prefer: BackendName): Promise<Float32Array> {
  await initBackend({ prefer });
  const a = tf.tensor2d(Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)), [3, 4]);
  const b = tf.tensor2d(Array.from({ length: 20 }, (_, i) => Math.cos(i * 0.7)), [4, 5]);
  const c = tf.matMul(a, b);
  const out = (await c.data()) as Float32Array;
  tf.dispose([a, b, c]);
  return out;
}

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DarError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a DarError');
}

describe('backend ladder', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('initialises WebAssembly (SIMD, single thread) and computes the same matMul as cpu', async () => {
    const info = await initBackend({ prefer: 'wasm' });
    expect(info).toMatchObject({ name: 'wasm', tfBackend: 'wasm', threads: 1, skipped: [] });
    expect(info.label).toMatch(/^WebAssembly \((no )?SIMD, 1 thread\)$/);
    expect(tf.getBackend()).toBe('wasm');
    const onWasm = await matMulOn('wasm');
    const onCpu = await matMulOn('cpu');
    expect(tf.getBackend()).toBe('cpu');
    for (let i = 0; i < onCpu.length; i++) expect(onWasm[i]).toBeCloseTo(onCpu[i], 5);
  });

  // Each native rung loads where its optional package installs (with its binary) and fails
  // with the reason elsewhere; the ladder must agree with what forcing each rung gives.
  const forced = new Map<'gpu' | 'native', BackendInfo | { code: string; message: string }>();
  beforeAll(async () => {
    for (const prefer of ['gpu', 'native'] as const) {
      forced.set(prefer, await initBackend({ prefer }).catch((err: unknown) => codeOf(Promise.reject(err))));
    }
  });
  const loaded = (prefer: 'gpu' | 'native'): boolean => 'name' in (forced.get(prefer) ?? {});

  it('loads a forced native rung whose package loads, else answers BACKEND_UNAVAILABLE with the reason', async () => {
    for (const prefer of ['gpu', 'native'] as const) {
      const outcome = forced.get(prefer);
      if (outcome && 'name' in outcome) {
        expect(outcome).toMatchObject({ name: prefer, tfBackend: 'tensorflow', skipped: [] });
        const onNative = await matMulOn(prefer);
        expect(tf.getBackend()).toBe('tensorflow');
        const onCpu = await matMulOn('cpu');
        for (let i = 0; i < onCpu.length; i++) expect(onNative[i]).toBeCloseTo(onCpu[i], 5);
      } else {
        expect(outcome?.code).toBe('BACKEND_UNAVAILABLE');
        expect(outcome?.message).toContain(`backend ${prefer} unavailable`);
        expect(outcome?.message).toContain(NATIVE[prefer]);
      }
      if (!installed(NATIVE[prefer])) expect(loaded(prefer)).toBe(false);
    }
  });

  it('walks down to the first rung that loads and reports the rungs it skipped', async () => {
    const expected = (['gpu', 'native'] as const).find(loaded) ?? 'wasm';
    const info = await initBackend({});
    // On a machine with a real GPU the webgpu rung answers first; never with a software adapter.
    if (info.name === 'webgpu') {
      expect(info.adapter?.software).toBe(false);
      return;
    }
    expect(info.name).toBe(expected);
    expect(tf.getBackend()).toBe(expected === 'wasm' ? 'wasm' : 'tensorflow');
    const ladder: BackendName[] = ['webgpu', 'gpu', 'native', 'wasm'];
    expect(info.skipped.map((s) => s.name)).toEqual(ladder.slice(0, ladder.indexOf(expected)));
    for (const s of info.skipped) expect(s.reason.length).toBeGreaterThan(10);
  });

  it('reads DAR_BACKEND, with auto or unset meaning the ladder', () => {
    expect(backendFromEnv({ DAR_BACKEND: 'WASM' })).toBe('wasm');
    expect(backendFromEnv({ DAR_BACKEND: 'auto' })).toBeUndefined();
    expect(backendFromEnv({})).toBeUndefined();
    expect(() => backendFromEnv({ DAR_BACKEND: 'tpu' })).toThrow(/DAR_BACKEND.*"tpu"/);
  });
});
