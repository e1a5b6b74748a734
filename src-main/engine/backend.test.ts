import { describe, it, expect, afterAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backendFromEnv, initBackend } from './backend';
import { DarError } from './errors';

async function matMulOn(prefer: 'wasm' | 'cpu'): Promise<Float32Array> {
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

  it('answers a forced native rung that is not installed with BACKEND_UNAVAILABLE and the reason', async () => {
    for (const prefer of ['gpu', 'native'] as const) {
      const pkg = prefer === 'gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
      const err = await codeOf(initBackend({ prefer }));
      expect(err.code).toBe('BACKEND_UNAVAILABLE');
      expect(err.message).toContain(`backend ${prefer} unavailable`);
      expect(err.message).toContain(pkg);
    }
  });

  it('walks down to wasm and reports the native rungs it skipped', async () => {
    const info = await initBackend({});
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.skipped.map((s) => s.name)).toEqual(['gpu', 'native']);
    for (const s of info.skipped) expect(s.reason.length).toBeGreaterThan(10);
  });

  it('reads DAR_BACKEND, with auto or unset meaning the ladder', () => {
    expect(backendFromEnv({ DAR_BACKEND: 'WASM' })).toBe('wasm');
    expect(backendFromEnv({ DAR_BACKEND: 'auto' })).toBeUndefined();
    expect(backendFromEnv({})).toBeUndefined();
    expect(() => backendFromEnv({ DAR_BACKEND: 'tpu' })).toThrow(/DAR_BACKEND.*"tpu"/);
  });
});
