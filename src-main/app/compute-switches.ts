/**
 * The Chromium switches the compute window's WebGPU needs, set before `ready`. Windows (D3D12)
 * and macOS (Metal) have WebGPU on by default. On Linux Chromium ships it behind flags: WebGPU
 * itself (enable-unsafe-webgpu) and its Vulkan backend (the Vulkan feature). Without a Vulkan
 * driver the page finds no adapter and computes on threaded WASM instead. DAR_COMPUTE_WINDOW=0
 * turns the compute window off (everything then runs on the engine thread, as in the CLI).
 */
import { COMPUTE_PAGE_URL } from './compute-csp';

/** The part of app.commandLine this uses (a fake in tests). */
export interface SwitchLine {
  appendSwitch(name: string, value?: string): void;
  hasSwitch(name: string): boolean;
  getSwitchValue(name: string): string;
}

/** True unless DAR_COMPUTE_WINDOW is 0/false/off. */
export function computeWindowWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return !/^(0|false|off|no)$/i.test(env.DAR_COMPUTE_WINDOW?.trim() ?? '');
}

/** Appends the WebGPU switches this platform needs; returns what it added (the README lists the same). */
export function enableWebGpuSwitches(line: SwitchLine, platform: string = process.platform): string[] {
  if (platform !== 'linux') return [];
  const added: string[] = [];
  if (!line.hasSwitch('enable-unsafe-webgpu')) {
    line.appendSwitch('enable-unsafe-webgpu');
    added.push('--enable-unsafe-webgpu');
  }
  // One enable-features switch: a second would replace the first, so merge with what is there.
  const features = line.hasSwitch('enable-features') ? line.getSwitchValue('enable-features').split(',').filter(Boolean) : [];
  if (!features.includes('Vulkan')) {
    line.appendSwitch('enable-features', [...features, 'Vulkan'].join(','));
    added.push(`--enable-features=${[...features, 'Vulkan'].join(',')}`);
  }
  return added;
}

/**
 * The page URL, with the rung DAR_BACKEND forces when it names one the page has, and WASM on one
 * thread when DAR_COMPUTE_THREADS=1 (threads lose on a machine whose cores are all busy).
 */
export function computePageUrl(env: NodeJS.ProcessEnv = process.env): string {
  const query = new URLSearchParams();
  const forced = env.DAR_BACKEND?.trim().toLowerCase();
  if (forced === 'webgpu' || forced === 'wasm') query.set('backend', forced);
  if (env.DAR_COMPUTE_THREADS?.trim() === '1') query.set('threads', '1');
  return query.size ? `${COMPUTE_PAGE_URL}?${query}` : COMPUTE_PAGE_URL;
}
