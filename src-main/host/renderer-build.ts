/**
 * Makes sure the built renderer exists and is current before the host serves it, so `npx dar
 * serve` works right after `npm ci`: when out/renderer is missing or older than its sources it
 * is built with vite's build() from the one renderer config (electron.vite.config.ts). Builds
 * go to a temporary folder and are swapped in under a lock, so parallel hosts never see half a build.
 */
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** Sources whose change makes the build stale (the renderer imports contract/, incl. the wire codec). */
const SOURCES = ['src-renderer', 'src-main/contract', 'electron.vite.config.ts'];
const LOCK_STALE_MS = 10 * 60_000;
const LOCK_POLL_MS = 250;

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of await readdir(path)) {
    if (!entry.startsWith('.')) newest = Math.max(newest, await newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when `outDir` has no index.html or one older than any renderer source. */
export async function rendererIsStale(outDir: string, root: string = repoRoot): Promise<boolean> {
  const built = await stat(join(outDir, 'index.html')).catch(() => null);
  if (!built) return true;
  const sources = await Promise.all(SOURCES.map((s) => newestMtime(join(root, s))));
  return Math.max(...sources) > built.mtimeMs;
}

/** True when the lock's owner (the pid written in it) is gone: a host killed mid-build. */
async function ownerIsGone(lockPath: string): Promise<boolean> {
  const pid = Number((await readFile(lockPath, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Runs `fn` holding a lock file that names its owner's pid. A lock whose owner died (SIGKILL while
 * building) is taken over at once; one without a readable pid only after LOCK_STALE_MS.
 */
export async function withBuildLock<T>(lockPath: string, fn: () => Promise<T>): Promise<T> {
  for (;;) {
    const handle = await open(lockPath, 'wx').catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
      return null;
    });
    if (handle) {
      await handle.writeFile(String(process.pid));
      await handle.close();
      try {
        return await fn();
      } finally {
        await rm(lockPath, { force: true });
      }
    }
    const held = await stat(lockPath).catch(() => null);
    if (held && (Date.now() - held.mtimeMs > LOCK_STALE_MS || (await ownerIsGone(lockPath)))) await rm(lockPath, { force: true });
    else await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

async function buildInto(tmp: string): Promise<void> {
  const { rendererConfig } = await import('../../electron.vite.config');
  const { build } = await import('vite');
  // logLevel 'warn': vite's info lines go to stdout, which belongs to the one URL line.
  await build({ ...rendererConfig, configFile: false, logLevel: 'warn', build: { ...rendererConfig.build, outDir: tmp, emptyOutDir: true } });
}

/** Builds out/renderer when stale (progress on `log`); resolves to the folder to serve. */
export async function ensureRendererBuilt(log: (line: string) => void, outDir: string = join(repoRoot, 'out/renderer')): Promise<string> {
  if (!(await rendererIsStale(outDir))) return outDir;
  const parent = join(outDir, '..');
  await mkdir(parent, { recursive: true });
  await withBuildLock(join(parent, '.renderer-build.lock'), async () => {
    if (!(await rendererIsStale(outDir))) return;
    log('building the studio page (vite build of src-renderer)...');
    const began = Date.now();
    const tmp = join(parent, `.renderer-${process.pid}-${began}`);
    const old = join(parent, `.renderer-old-${process.pid}-${began}`);
    try {
      await buildInto(tmp);
      await rename(outDir, old).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
      await rename(tmp, outDir);
    } finally {
      await rm(tmp, { recursive: true, force: true });
      await rm(old, { recursive: true, force: true });
    }
    log(`built the studio page in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  });
  return outDir;
}
