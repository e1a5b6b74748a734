import { describe, expect, it } from 'vitest';
import { adapterInfo, openDawnDevice, prepareHeadlessGpuEnv } from './dawn-device';
import type { DawnAdapter } from './dawn-device';
import { worstRelative } from './webgpu-rung';

const adapter = (info: Partial<DawnAdapter['info']>, isFallbackAdapter?: boolean): DawnAdapter =>
  ({ info: { vendor: '', architecture: '', device: '', description: '', ...info }, isFallbackAdapter }) as unknown as DawnAdapter;

describe('adapterInfo', () => {
  it('marks CPU rasterisers as software, so the ladder can skip them', () => {
    expect(adapterInfo(adapter({ device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL ES 3.2 Mesa 22.3.6' })).software).toBe(true);
    expect(adapterInfo(adapter({ vendor: 'google', architecture: 'swiftshader' })).software).toBe(true);
    expect(adapterInfo(adapter({ description: 'Microsoft Basic Render Driver' })).software).toBe(true);
    expect(adapterInfo(adapter({ description: 'llvmpipe (LLVM 15.0.6, 256 bits)', device: 'lavapipe' })).software).toBe(true);
    expect(adapterInfo(adapter({ vendor: 'nvidia' }, true)).software).toBe(true);
    expect(adapterInfo(adapter({ vendor: 'nvidia', isFallbackAdapter: true })).software).toBe(true);
  });

  it('keeps a real GPU, with its names', () => {
    expect(adapterInfo(adapter({ vendor: 'nvidia', architecture: 'hopper', device: 'NVIDIA H100 80GB HBM3', description: 'NVIDIA: 550.54' }))).toEqual({
      vendor: 'nvidia',
      architecture: 'hopper',
      description: 'NVIDIA H100 80GB HBM3, NVIDIA: 550.54',
      software: false,
    });
    expect(adapterInfo(adapter({ vendor: 'apple', architecture: 'metal-3' })).software).toBe(false);
  });
});

describe('prepareHeadlessGpuEnv', () => {
  it('sets EGL_PLATFORM=surfaceless only on headless Linux where it is unset', () => {
    const headless: NodeJS.ProcessEnv = {};
    prepareHeadlessGpuEnv(headless, 'linux');
    expect(headless.EGL_PLATFORM).toBe('surfaceless');
    for (const [env, platform] of [[{ DISPLAY: ':0' }, 'linux'], [{ EGL_PLATFORM: 'x11' }, 'linux'], [{}, 'darwin'], [{}, 'win32']] as const) {
      const copy: NodeJS.ProcessEnv = { ...env };
      prepareHeadlessGpuEnv(copy, platform);
      expect(copy).toEqual(env);
    }
  });
});

describe('worstRelative (the self-check)', () => {
  it('is 0 for equal arrays, relative where values are large, and infinite on NaN or a length mismatch', () => {
    expect(worstRelative(Float32Array.of(1, -2, 3), Float32Array.of(1, -2, 3))).toBe(0);
    expect(worstRelative(Float32Array.of(100.1, 1), Float32Array.of(100, 1))).toBeCloseTo(1e-3, 6);
    expect(worstRelative(Float32Array.of(NaN), Float32Array.of(1))).toBe(Infinity);
    expect(worstRelative(Float32Array.of(0, 0), Float32Array.of(1, 2))).toBe(1);
    expect(worstRelative(Float32Array.of(1), Float32Array.of(1, 2))).toBe(Infinity);
  });
});

describe('openDawnDevice inside Electron', () => {
  it('refuses before loading the addon (Electron forbids its external buffers), so the ladder moves on', async () => {
    Object.defineProperty(process.versions, 'electron', { value: '45.5.0', configurable: true, enumerable: true });
    try {
      await expect(openDawnDevice(true)).rejects.toThrow(/cannot run inside Electron/);
    } finally {
      delete (process.versions as Record<string, string | undefined>).electron;
    }
    expect(process.versions.electron).toBeUndefined();
  });
});
