import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockedElectronVersion } from './electron-version';
import { DESKTOP_NODE, desktopProblem } from './preflight';

// One Node story: the CLI, the browser studio and the tests install and run on any Node that
// package.json's engines admit (Node 20 included); the desktop app needs DESKTOP_NODE, where npm
// also installs Electron's tooling. These read the lockfile, so a dependency bump that breaks the
// story fails here on any Node, not as a warning on some user's install.
const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
// npm's own range logic (semver is installed through the dev tools; it ships no types).
const semver = require('semver') as {
  satisfies: (version: string, range: string) => boolean;
  subset: (sub: string, sup: string) => boolean;
};

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  cpu?: string[];
  engines?: { node?: string };
}
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };

/** CPUs the installers are built for (electron-builder.yml); a package only for others (sharp's win32-ia32 build) never installs there. */
const SHIPPED_CPUS = ['x64', 'arm64'];
const forShippedCpus = (entry: LockEntry): boolean => !entry.cpu || entry.cpu.some((c) => SHIPPED_CPUS.includes(c));

/** `[path in the lockfile, engines.node]` of every locked package that names a Node range. */
function ranges(keep: (entry: LockEntry) => boolean): Array<[string, string]> {
  return Object.entries(lock.packages)
    .filter(([key, entry]) => key !== '' && keep(entry) && typeof entry.engines?.node === 'string')
    .map(([key, entry]) => [key, entry.engines!.node!]);
}

describe('the Node story', () => {
  it("installs without an engine warning on every Node that package.json's engines admit", () => {
    // npm warns (EBADENGINE) only for packages it must install; optional ones it skips silently.
    const narrower = ranges((e) => !e.optional).filter(([, range]) => !semver.subset(pkg.engines.node, range));
    expect(narrower).toEqual([]);
    expect(semver.satisfies('20.19.0', pkg.engines.node)).toBe(true);
  });

  it("keeps Electron's tooling optional, so an older Node skips it instead of warning", () => {
    for (const name of ['electron', 'electron-builder', '@electron/rebuild', '@electron/get']) {
      expect(lock.packages[`node_modules/${name}`], name).toMatchObject({ dev: true, optional: true });
    }
    expect(semver.satisfies('20.19.0', lock.packages['node_modules/electron'].engines!.node!)).toBe(false);
  });

  it('names as the desktop Node the lowest 22.x on which every locked package installs', () => {
    const all = ranges(forShippedCpus);
    expect(all.filter(([, range]) => !semver.satisfies(DESKTOP_NODE, range))).toEqual([]);
    expect(semver.satisfies(DESKTOP_NODE, pkg.engines.node)).toBe(true);
    const [major, minor] = DESKTOP_NODE.split('.').map(Number);
    expect(major).toBe(22);
    expect(all.some(([, range]) => !semver.satisfies(`${major}.${minor - 1}.99`, range))).toBe(true);
  });

  it('runs the workflows on the same Node versions', () => {
    const yaml = require('js-yaml') as { load: (text: string) => unknown };
    type Job = { container?: { image: string }; steps: Array<{ uses?: string; with?: { 'node-version'?: number | string } }> };
    const jobs = ['ci.yml', 'release.yml'].flatMap((file) => {
      const workflow = yaml.load(readFileSync(path.join(root, '.github/workflows', file), 'utf8')) as { jobs: Record<string, Job> };
      return Object.values(workflow.jobs);
    });
    // Desktop jobs set up the desktop Node's major (its newest release); the test job is .ci/run's Node.
    const setups = jobs.flatMap((j) => j.steps.filter((s) => s.uses?.startsWith('actions/setup-node@')));
    expect(setups.length).toBeGreaterThan(0);
    for (const s of setups) expect(String(s.with?.['node-version'])).toBe(DESKTOP_NODE.split('.')[0]);
    const containers = jobs.flatMap((j) => (j.container ? [j.container.image] : []));
    expect(containers).toEqual(['node:20-bookworm']);
    expect(semver.satisfies('20.99.0', pkg.engines.node)).toBe(true);
  });

  it('says the same Node versions in the README', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const [major, minor] = DESKTOP_NODE.split('.');
    expect(readme).toContain(`Node ${major}.${minor}`);
    expect(readme).toContain('Node 20.19');
  });

  it('type-checks against the locked Electron version', () => {
    const vendored = readFileSync(path.join(import.meta.dirname, 'electron.d.ts'), 'utf8');
    const locked = lockedElectronVersion(root);
    expect(vendored.split('\n')[0]).toBe(`// Type definitions for Electron ${locked}`);
    // Where npm installed Electron (the desktop Node), the copy is the package's own file.
    const installed = path.join(root, 'node_modules/electron/electron.d.ts');
    if (existsSync(installed)) expect(vendored === readFileSync(installed, 'utf8')).toBe(true);
  });
});

describe('the desktop preflight', () => {
  it('tells a Node 20 user which Node the desktop app needs, and that the CLI works there', () => {
    const problem = desktopProblem('v20.19.0', ['electron', 'electron-builder']);
    expect(problem).toContain(`Node ${DESKTOP_NODE}`);
    expect(problem).toContain('npm ci');
    expect(problem).toContain('dar serve');
  });

  it('asks for a new npm ci when the desktop Node runs on an install made by an older one', () => {
    expect(desktopProblem('v22.13.0', ['electron'])).toMatch(/electron is not installed.*\n.*npm ci.*v22\.13\.0/);
    expect(desktopProblem('v22.12.1', [])).toContain('needs Node');
  });

  it('lets a desktop Node with Electron installed through', () => {
    expect(desktopProblem('v22.13.0', [])).toBeNull();
    expect(desktopProblem('v24.1.0', [])).toBeNull();
  });
});
