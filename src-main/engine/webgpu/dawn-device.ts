/**
 * WebGPU in Node: the `webgpu` npm package (Dawn, an optional dependency whose tarball carries
 * prebuilt addons) gives a GPU object like `navigator.gpu`. We pick the adapter ourselves,
 * because tfjs-backend-webgpu's own factory asks `navigator.gpu` with no way to say which
 * Dawn backend or feature level, and we need to know whether the adapter is a CPU rasteriser.
 */
import { DarError } from '../errors';
import type { GpuAdapterInfo } from '#contract/worker-protocol';

/** The part of Dawn's adapter we use (the package's own types need @webgpu/types in every build). */
export interface DawnAdapter {
  readonly info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  readonly isFallbackAdapter?: boolean;
  readonly features: ReadonlySet<string>;
  readonly limits: Readonly<Record<string, number>>;
  requestDevice(descriptor?: { requiredFeatures?: string[]; requiredLimits?: Record<string, number> }): Promise<DawnDevice>;
}

/** The part of a GPUDevice we touch; tfjs-backend-webgpu gets the whole object. */
export interface DawnDevice {
  destroy(): void;
  readonly lost: Promise<{ reason: string; message: string }>;
  readonly limits: Readonly<Record<string, number>>;
  pushErrorScope(filter: 'validation' | 'out-of-memory' | 'internal'): void;
  popErrorScope(): Promise<{ message: string } | null>;
}

interface DawnGpu {
  requestAdapter(options?: { powerPreference?: string; featureLevel?: string }): Promise<DawnAdapter | null>;
}

interface DawnModule {
  create(flags: string[]): DawnGpu;
  globals: Record<string, unknown>;
}

/** What a successful open gives: the adapter, its device, and the GPU object that must stay referenced. */
export interface DawnOpened {
  gpu: DawnGpu;
  adapter: DawnAdapter;
  device: DawnDevice;
  info: GpuAdapterInfo;
  /** The Dawn flags that found it, for the label ('default' or e.g. 'backend=opengles'). */
  via: string;
}

const PACKAGE = 'webgpu';
/** Names CPU rasterisers give themselves (Chromium's and Mesa's, Windows' WARP). */
const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render|\bwarp\b/i;

/** The adapter's names as the contract carries them, with whether it rasterises on the CPU. */
export function adapterInfo(adapter: DawnAdapter): GpuAdapterInfo {
  const { vendor, architecture, device, description } = adapter.info;
  const fallback = adapter.info.isFallbackAdapter === true || adapter.isFallbackAdapter === true;
  const text = [vendor, architecture, device, description].join(' ');
  return {
    vendor: vendor ?? '',
    architecture: architecture ?? '',
    description: [device, description].filter(Boolean).join(', '),
    software: fallback || SOFTWARE_NAMES.test(text),
  };
}

/**
 * EGL_PLATFORM=surfaceless lets Mesa's EGL (Dawn's OpenGL ES backend) start without a display.
 * It must be in the real environment before the engine thread starts (a worker thread's
 * process.env is a private copy that native code never sees), so the Node shells call this on
 * their main thread; it changes nothing where a display exists or the variable is set.
 */
export function prepareHeadlessGpuEnv(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): void {
  if (platform !== 'linux' || env.EGL_PLATFORM || env.DISPLAY || env.WAYLAND_DISPLAY) return;
  env.EGL_PLATFORM = 'surfaceless';
}

async function importDawn(): Promise<DawnModule> {
  // Electron forbids the external array buffers the addon hands out: it would fail mid-run, not
  // at load. The desktop app's GPU path is a compute window on Chromium's own WebGPU instead.
  if (process.versions.electron) throw new Error(`the ${PACKAGE} package (Dawn for Node) cannot run inside Electron`);
  try {
    // A variable specifier keeps bundlers and the type checker from requiring the optional package.
    const mod = (await import(/* @vite-ignore */ PACKAGE)) as Partial<DawnModule>;
    if (typeof mod.create !== 'function' || typeof mod.globals !== 'object') throw new Error('it has no create()/globals');
    return mod as DawnModule;
  } catch (err) {
    throw new Error(`the ${PACKAGE} package (Dawn for Node) could not be loaded: ${firstLine(err)}`);
  }
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

/**
 * Ways to ask Dawn for an adapter, best first: its default backend (Vulkan, Metal or D3D12) for
 * the fast GPU; then, when software is allowed, OpenGL ES in compatibility mode, which is how a
 * headless Linux box without Vulkan gets Mesa's llvmpipe.
 */
const ATTEMPTS = [
  { via: 'default', flags: [] as string[], options: { powerPreference: 'high-performance' } },
  { via: 'backend=opengles', flags: ['backend=opengles'], options: { powerPreference: 'high-performance', featureLevel: 'compatibility' } },
];

/**
 * Device limits raised to what the adapter offers: tfjs-backend-webgpu's own factory asks for the
 * first six; its kernels also bind many storage buffers (AddN one per input), and past the
 * default of 8 a pipeline is invalid and its output silently wrong.
 */
export const DEVICE_LIMITS = [
  'maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup',
  'maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupSizeY', 'maxComputeWorkgroupSizeZ',
];

/**
 * Opens a WebGPU device through Dawn. Without `allowSoftware` a CPU rasteriser is refused with
 * the reason (it is slower than WebAssembly); with it, OpenGL ES is tried too.
 */
export async function openDawnDevice(allowSoftware: boolean): Promise<DawnOpened> {
  const dawn = await importDawn();
  // tfjs reads GPUBufferUsage, GPUMapMode, ... as globals, as in a browser.
  for (const [k, v] of Object.entries(dawn.globals)) if (!(k in globalThis)) Object.assign(globalThis, { [k]: v });
  const tried: string[] = [];
  for (const attempt of allowSoftware ? ATTEMPTS : ATTEMPTS.slice(0, 1)) {
    const gpu = dawn.create(attempt.flags);
    let adapter: DawnAdapter | null = null;
    try {
      adapter = await gpu.requestAdapter(attempt.options);
    } catch (err) {
      tried.push(`${attempt.via}: ${firstLine(err)}`);
      continue;
    }
    if (!adapter) {
      tried.push(`${attempt.via}: no adapter`);
      continue;
    }
    const info = adapterInfo(adapter);
    if (info.software && !allowSoftware) {
      throw new DarError('BACKEND_UNAVAILABLE', `only a software adapter (${info.description || info.vendor || 'fallback'}), slower than WebAssembly; force it with --backend webgpu`);
    }
    const requiredLimits = Object.fromEntries(DEVICE_LIMITS.filter((k) => typeof adapter.limits[k] === 'number').map((k) => [k, adapter.limits[k]]));
    const device = await adapter.requestDevice({ requiredLimits });
    return { gpu, adapter, device, info, via: attempt.via };
  }
  const hint = allowSoftware ? '' : ' (a software adapter is tried only when webgpu is forced)';
  throw new Error(`no WebGPU adapter: ${tried.join('; ')}${hint}`);
}
