import { describe, expect, it } from 'vitest';
import { COMPUTE_ORIGIN } from './compute-csp';
import { computeCsp, computeHeaders } from './compute-csp';
import { computePageUrl, computeWindowWanted, enableWebGpuSwitches } from './compute-switches';
import type { SwitchLine } from './compute-switches';

function line(initial: Record<string, string> = {}): SwitchLine & { switches: Record<string, string> } {
  const switches = { ...initial };
  return { switches, appendSwitch: (n, v = '') => void (switches[n] = v), hasSwitch: (n) => n in switches, getSwitchValue: (n) => switches[n] ?? '' };
}

describe('the compute window switches', () => {
  it('turns WebGPU and its Vulkan backend on for Linux only', () => {
    const linux = line();
    expect(enableWebGpuSwitches(linux, 'linux')).toEqual(['--enable-unsafe-webgpu', '--enable-features=Vulkan']);
    expect(linux.switches).toEqual({ 'enable-unsafe-webgpu': '', 'enable-features': 'Vulkan' });
    for (const platform of ['win32', 'darwin']) {
      const other = line();
      expect(enableWebGpuSwitches(other, platform)).toEqual([]);
      expect(other.switches).toEqual({});
    }
  });

  it('adds Vulkan to features already enabled instead of replacing them', () => {
    const l = line({ 'enable-features': 'Foo,Bar' });
    enableWebGpuSwitches(l, 'linux');
    expect(l.switches['enable-features']).toBe('Foo,Bar,Vulkan');
    expect(enableWebGpuSwitches(l, 'linux')).toEqual([]);
  });

  it('is on unless DAR_COMPUTE_WINDOW says off', () => {
    expect(computeWindowWanted({})).toBe(true);
    expect(computeWindowWanted({ DAR_COMPUTE_WINDOW: '1' })).toBe(true);
    for (const off of ['0', 'false', 'OFF', 'no']) expect(computeWindowWanted({ DAR_COMPUTE_WINDOW: off })).toBe(false);
  });

  it('forces the page rung DAR_BACKEND names (webgpu or wasm only) and one WASM thread with DAR_COMPUTE_THREADS=1', () => {
    expect(computePageUrl({})).toBe(`${COMPUTE_ORIGIN}/index.html`);
    expect(computePageUrl({ DAR_BACKEND: 'WebGPU' })).toBe(`${COMPUTE_ORIGIN}/index.html?backend=webgpu`);
    expect(computePageUrl({ DAR_BACKEND: 'native' })).toBe(`${COMPUTE_ORIGIN}/index.html`);
    expect(computePageUrl({ DAR_BACKEND: 'wasm', DAR_COMPUTE_THREADS: '1' })).toBe(`${COMPUTE_ORIGIN}/index.html?backend=wasm&threads=1`);
  });

  it('serves the page cross-origin isolated, scripts only from its own origin (and blob: thread workers)', () => {
    const h = computeHeaders(COMPUTE_ORIGIN);
    expect(h['Cross-Origin-Opener-Policy']).toBe('same-origin');
    expect(h['Cross-Origin-Embedder-Policy']).toBe('require-corp');
    const csp = computeCsp(COMPUTE_ORIGIN);
    expect(csp).toContain(`script-src ${COMPUTE_ORIGIN} 'wasm-unsafe-eval' blob:`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/unsafe-inline|'unsafe-eval'|https?:|\*/);
  });
});
