import { existsSync, mkdtempSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureRendererBuilt, rendererIsStale } from './renderer-build';

// What `npx dar serve` does right after `npm ci` (no out/ yet): build the page with vite first.
describe('renderer build for the browser host', () => {
  it('builds a missing renderer into its folder, then finds it current and leaves it alone', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'dar-renderer-')), 'renderer');
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
  }, 300_000);

  it('finds a build older than its sources stale', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'dar-renderer-')), 'renderer');
    await ensureRendererBuilt(() => {}, outDir);
    utimesSync(join(outDir, 'index.html'), new Date(0), new Date(0));
    expect(await rendererIsStale(outDir)).toBe(true);
    expect(existsSync(join(outDir, 'index.html'))).toBe(true);
  }, 300_000);
});
