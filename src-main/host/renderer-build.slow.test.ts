import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureRendererBuilt, rendererIsStale, withBuildLock } from './renderer-build';
import { useTempDir } from '../../testing/temp-dir';

// What `npx dar serve` does right after `npm ci` (no out/ yet): build the page with vite first.
describe('renderer build for the browser host', () => {
  const root = useTempDir('dar-renderer-');

  it('builds a missing renderer into its folder, then finds it current and leaves it alone', async () => {
    const outDir = join(mkdtempSync(join(root, 'build-')), 'renderer');
    expect(await rendererIsStale(outDir)).toBe(true);
    const lines: string[] = [];
    expect(await ensureRendererBuilt((l) => lines.push(l), outDir)).toBe(outDir);
    expect(lines.join('\n')).toMatch(/building the studio page[\s\S]*built the studio page in/);
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    expect(html).toMatch(/<script type="module" crossorigin src="\.\/assets\/[^"]+\.js">/);
    expect(readdirSync(join(outDir, 'assets')).some((f) => f.endsWith('.js'))).toBe(true);
    expect(readdirSync(join(outDir, '..')).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(await rendererIsStale(outDir)).toBe(false);
    lines.length = 0;
    await ensureRendererBuilt((l) => lines.push(l), outDir);
    expect(lines).toEqual([]);
  }, 90_000);

  it('finds a build older than its sources stale', async () => {
    const outDir = join(mkdtempSync(join(root, 'build-')), 'renderer');
    await ensureRendererBuilt(() => {}, outDir);
    utimesSync(join(outDir, 'index.html'), new Date(0), new Date(0));
    expect(await rendererIsStale(outDir)).toBe(true);
    expect(existsSync(join(outDir, 'index.html'))).toBe(true);
  }, 90_000);

  it('takes over a lock left by a host killed mid-build, but waits for a live one', async () => {
    const dir = mkdtempSync(join(root, 'lock-'));
    const lock = join(dir, '.renderer-build.lock');
    // A pid that surely ended: a child that has exited.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(lock, String(dead));
    expect(await withBuildLock(lock, async () => readFileSync(lock, 'utf8'))).toBe(String(process.pid));
    expect(existsSync(lock)).toBe(false);
    writeFileSync(lock, String(process.pid));
    let ran = false;
    const waiting = withBuildLock(lock, async () => (ran = true));
    await new Promise((r) => setTimeout(r, 600));
    expect(ran).toBe(false);
    await import('node:fs/promises').then((fs) => fs.rm(lock));
    await waiting;
    expect(ran).toBe(true);
  });
});
