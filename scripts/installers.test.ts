import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINUX_EXECUTABLE, PRODUCT_NAME } from '../e2e/electron/studio-app';

// The installers cannot be built here (no Electron binary download), so these check what can be
// checked: electron-builder's own schema accepts the config, every file it names exists, and the
// release workflow parses and covers the three platforms.
const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load: (text: string) => unknown };
// npm installs electron-builder only on the desktop Node (scripts/desktop-toolchain); the CI
// workflow's desktop jobs run this file there, so the schema check runs on every push.
const builderInstalled = existsSync(path.join(root, 'node_modules/app-builder-lib/package.json'));

interface BuilderConfig {
  productName: string;
  directories: { output: string };
  files: string[];
  asarUnpack: string[];
  extraResources: Array<{ from: string; to: string }>;
  win: { icon: string; target: Array<{ target: string }> };
  mac: { icon: string; target: Array<{ target: string; arch: string[] }> };
  linux: { icon: string; executableName: string; target: Array<{ target: string }> };
  electronFuses: Record<string, boolean>;
}

const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it.skipIf(!builderInstalled)("passes electron-builder's own configuration schema (where electron-builder is installed)", async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      getConfig: (projectDir: string, configPath: string | null, fromOptions: null) => Promise<Record<string, unknown>>;
      validateConfiguration: (config: Record<string, unknown>, logger: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util/out/DebugLogger') as { DebugLogger: new (enabled: boolean) => unknown };
    const loaded = await getConfig(root, null, null);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
    expect(loaded.productName).toBe('DAR Studio');
  }, 20_000);

  it('targets NSIS, dmg for arm64 and x64, AppImage and deb', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['arm64', 'x64'] }]);
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
  });

  it('names icons and resources that exist', () => {
    for (const file of [config.win.icon, config.mac.icon, 'build/icon.png']) expect(existsSync(path.join(root, file)), file).toBe(true);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) expect(existsSync(path.join(root, config.linux.icon, `${size}x${size}.png`))).toBe(true);
    expect(config.extraResources).toEqual([expect.objectContaining({ from: 'resources/demo', to: 'demo' })]);
    expect(existsSync(path.join(root, 'resources/demo/dataset.json'))).toBe(true);
  });

  it('unpacks the worker bundle, native addons, the tfjs wasm binaries and ffmpeg-static', () => {
    const viteConfig = readFileSync(path.join(root, 'electron.vite.config.ts'), 'utf8');
    expect(viteConfig).toMatch(/'engine-worker':/);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining([
        'out/main/engine-worker*.js',
        '**/*.node',
        '**/node_modules/better-sqlite3/**/*',
        '**/node_modules/@tensorflow/tfjs-node/**/*',
        '**/node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm',
        '**/node_modules/ffmpeg-static/**/*',
      ]),
    );
    expect(config.files[0]).toBe('out/**/*');
  });

  it("puts the unpacked app where the Electron smoke spec looks for it", () => {
    expect(config.directories.output).toBe('release');
    expect(config.productName).toBe(PRODUCT_NAME);
    expect(config.linux.executableName).toBe(LINUX_EXECUTABLE);
  });

  it('flips the Electron fuses of the security checklist', () => {
    expect(config.electronFuses).toMatchObject({ runAsNode: false, enableNodeOptionsEnvironmentVariable: false, enableNodeCliInspectArguments: false, onlyLoadAppFromAsar: true });
  });
});

interface Workflow {
  on: { push: { tags: string[] } };
  jobs: Record<string, { 'runs-on': string; strategy?: { matrix: { include: Array<{ os: string }> } }; steps: Step[] }>;
}

interface Step {
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

describe('.github/workflows/release.yml', () => {
  const workflow = yaml.load(readFileSync(path.join(root, '.github/workflows/release.yml'), 'utf8')) as Workflow;

  it('runs on version tags and builds on a Windows, a macOS and a Linux runner', () => {
    expect(workflow.on.push.tags).toEqual(['v*.*.*']);
    const oses = workflow.jobs.installers.strategy?.matrix.include.map((m) => m.os);
    expect(oses).toEqual(['windows-latest', 'macos-latest', 'ubuntu-latest']);
  });

  it('never lets electron-builder publish, and uploads the installers', () => {
    const steps = workflow.jobs.installers.steps;
    const builds = steps.filter((s) => s.run?.includes('electron-builder'));
    expect(builds.length).toBe(4);
    for (const step of builds) expect(step.run).toMatch(/--publish never/);
    expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
  });

  it('smoke-tests the packaged app on each runner before it uploads the installers', () => {
    const steps = workflow.jobs.installers.steps;
    const smokes = steps.flatMap((s, i) => (s.run?.includes('npm run test:electron') ? [i] : []));
    expect(smokes).toHaveLength(3);
    for (const i of smokes) expect(steps[i].env?.DAR_ELECTRON_PACKAGED).toBe('release');
    const upload = steps.findIndex((s) => s.with?.name?.startsWith('dar-studio-'));
    expect(Math.max(...smokes)).toBeLessThan(upload);
  });

  it('pins every action to a version', () => {
    const uses = Object.values(workflow.jobs).flatMap((j) => j.steps.map((s) => s.uses).filter((u): u is string => !!u));
    for (const u of uses) expect(u).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
  });
});
