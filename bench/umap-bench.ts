/**
 * `npx tsx bench/umap-bench.ts [--sizes 1000,6000] [--d 128] [--old <commit>] [--old-max 6000]`:
 * times the feature-space UMAP on umap-js against our former exact UMAP, on clustered points
 * shaped like the view's input (common and specific features of d = 128, six clusters that
 * overlap enough for the neighbour check below to tell maps apart). It prints CPU seconds
 * (steadier than wall time on a shared machine) beside wall seconds, and how often a point's
 * nearest 2-D neighbour shares its cluster, so speed is not bought with a worse map. The old one
 * is skipped above --old-max points (its neighbour search is O(n² d)).
 *
 * The former implementation is taken from git (the commit before the switch) rather than kept
 * as a copy in the tree; without git the old column reads n/a.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createRng } from '../src-main/engine/rng';
import { umap2 } from '../src-main/engine/projection/umap';

type Umap2 = typeof umap2;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Where the exact UMAP lived at that commit. */
const FILE = 'src-main/engine/eval/projection-umap.ts';
const CLUSTERS = 6;

/** n points of dimension d around CLUSTERS well-spread centres; row i belongs to cluster i % CLUSTERS. */
function clustered(n: number, d: number): Float32Array {
  const rng = createRng(7);
  const centres = Array.from({ length: CLUSTERS * d }, () => 0.3 * rng.normal());
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let q = 0; q < d; q++) out[i * d + q] = centres[(i % CLUSTERS) * d + q] + rng.normal();
  return out;
}

/** Share of points whose nearest 2-D neighbour is in their own cluster. */
function neighbourPurity(x: Float32Array, y: Float32Array): number {
  let same = 0;
  for (let i = 0; i < x.length; i++) {
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < x.length; j++) {
      const dd = j === i ? Infinity : (x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2;
      if (dd < bestD) [best, bestD] = [j, dd];
    }
    if (best % CLUSTERS === i % CLUSTERS) same++;
  }
  return same / x.length;
}

/** The exact UMAP as it was at `commit`, written to a temp file whose imports point back into the tree. */
async function oldUmap(commit: string, dir: string): Promise<Umap2 | null> {
  let source: string;
  try {
    source = execFileSync('git', ['show', `${commit}:${FILE}`], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
  const abs = (rel: string): string => JSON.stringify(join(ROOT, 'src-main/engine', rel));
  const file = join(dir, 'projection-umap-exact.ts');
  writeFileSync(file, source.replace("'../rng'", abs('rng.ts')).replace("'./projection'", abs('projection/projection.ts')));
  return ((await import(pathToFileURL(file).href)) as { umap2: Umap2 }).umap2;
}

interface Timing {
  cpu: number;
  wall: number;
  purity: number;
}

function timed(fn: Umap2, data: Float32Array, n: number, d: number): Timing {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const { x, y } = fn(data, n, d);
  const wall = (performance.now() - t0) / 1000;
  return { cpu: process.cpuUsage(cpu0).user / 1e6, wall, purity: neighbourPurity(x, y) };
}

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '1000,6000' }, d: { type: 'string', default: '128' }, old: { type: 'string', default: '65920ec' }, 'old-max': { type: 'string', default: '6000' } }, strict: true });
const sizes = values.sizes.split(',').map(Number);
const d = Number(values.d);
const dir = mkdtempSync(join(tmpdir(), 'dar-umap-bench-'));
try {
  const exact = await oldUmap(values.old, dir);
  const cell = (r: Timing | null): string => (r ? `${r.cpu.toFixed(1)} s cpu, ${r.wall.toFixed(1)} s wall, purity ${r.purity.toFixed(3)}` : 'n/a');
  console.log(`UMAP, d = ${d}, ${CLUSTERS} clusters, 200 epochs, seed 42; old = exact UMAP at ${values.old}, new = umap-js`);
  for (const n of sizes) {
    const data = clustered(n, d);
    const now = timed(umap2, data, n, d);
    const before = exact && n <= Number(values['old-max']) ? timed(exact, data, n, d) : null;
    const speedup = before ? `   old/new cpu ${(before.cpu / now.cpu).toFixed(2)}` : '';
    console.log(`${String(n).padStart(6)} points   old: ${cell(before)}   new: ${cell(now)}${speedup}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
