/**
 * Runs before `npm start`, `npm run dev`, `build`, `dist` and `test:electron`: says in
 * one paragraph why the desktop app cannot be built here, instead of electron-vite's "Cannot find
 * module 'electron/package.json'". Electron 45 and electron-builder 26 need Node >= 22.12 (their
 * engines), so npm installs them only there (optionalDependencies of ./package.json); the CLI and
 * the browser studio run on Node 20 as well. Kept free of dependencies so it runs on an old Node.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The lowest Node on which the whole lockfile installs without an engine warning, Electron's
 * tooling included (22.12 for electron, @electron/get, @electron/rebuild; 22.13 for the rest of the
 * dev tools on the 22 line); node-story.test.ts derives it from package-lock.json.
 */
export const DESKTOP_NODE = '22.13.0';

/** The desktop toolchain's packages, as npm lays them out at the top of node_modules. */
export const DESKTOP_PACKAGES = ['electron', 'electron-builder'] as const;

/** `[major, minor, patch]` of `v22.13.0` or `22.13.0`. */
function parts(version: string): number[] {
  return version.replace(/^v/, '').split('.').map((n) => parseInt(n, 10) || 0);
}

/** Whether `version` is at least `min` (plain x.y.z versions only). */
export function atLeast(version: string, min: string): boolean {
  const [a, b] = [parts(version), parts(min)];
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

/** What stops the desktop build on this Node with these packages installed, in words; null when nothing does. */
export function desktopProblem(nodeVersion: string, missing: readonly string[]): string | null {
  if (!atLeast(nodeVersion, DESKTOP_NODE)) {
    return [
      `The desktop app needs Node ${DESKTOP_NODE} or later (Electron 45 and electron-builder need 22.12); this is Node ${nodeVersion}.`,
      `Switch to Node 22 LTS (22.13+) or 24, then run \`npm ci\` again: npm installs Electron only on such a Node.`,
      `On this Node the CLI (\`npx dar\`) and the browser studio (\`npx dar serve\`) work as they are.`,
    ].join('\n');
  }
  if (missing.length > 0) {
    return [
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed: npm skipped ${missing.length > 1 ? 'them' : 'it'} because \`npm ci\` ran on a Node older than ${DESKTOP_NODE}.`,
      `Run \`npm ci\` again on this Node (${nodeVersion}).`,
    ].join('\n');
  }
  return null;
}

/** The desktop packages missing from `root`/node_modules. */
export function missingPackages(root: string): string[] {
  return DESKTOP_PACKAGES.filter((name) => !existsSync(join(root, 'node_modules', name, 'package.json')));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
  const problem = desktopProblem(process.version, missingPackages(root));
  if (problem) {
    process.stderr.write(`${problem}\n`);
    process.exitCode = 1;
  }
}
