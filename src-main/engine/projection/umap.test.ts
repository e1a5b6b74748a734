import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { pca2 } from './projection';
import { umap2 } from './umap';

function blobs(perBlob: number, d: number): Float32Array {
  const rng = createRng(9);
  const out = new Float32Array(2 * perBlob * d);
  for (let i = 0; i < 2 * perBlob; i++) for (let k = 0; k < d; k++) out[i * d + k] = (i < perBlob ? 0 : 8) + rng.normal();
  return out;
}

describe('umap2', () => {
  it('keeps two separated blobs apart: every point’s nearest 2-D neighbour is in its own blob', () => {
    const n = 60;
    const { x, y } = umap2(blobs(30, 10), n, 10, { epochs: 100 });
    for (let i = 0; i < n; i++) {
      let best = -1;
      let bestD = Infinity;
      for (let j = 0; j < n; j++) {
        const dd = j === i ? Infinity : (x[i] - x[j]) ** 2 + (y[i] - y[j]) ** 2;
        if (dd < bestD) [best, bestD] = [j, dd];
      }
      expect(best < 30).toBe(i < 30);
    }
    expect(x.every(Number.isFinite) && y.every(Number.isFinite)).toBe(true);
  });

  it('is deterministic for a seed', () => {
    const data = blobs(15, 4);
    const a = umap2(data, 30, 4, { epochs: 50, seed: 3 });
    const b = umap2(data, 30, 4, { epochs: 50, seed: 3 });
    expect(b.x).toEqual(a.x);
    expect(b.y).toEqual(a.y);
  });
});

describe('umap2 on umap-js', () => {
  it('gives one finite 2-D point per input row, also for tiny inputs', () => {
    for (const n of [1, 2, 3, 5, 40]) {
      const { x, y } = umap2(blobs(20, 6).subarray(0, n * 6), n, 6, { epochs: 20 });
      expect([x.length, y.length]).toEqual([n, n]);
      expect(x.every(Number.isFinite) && y.every(Number.isFinite)).toBe(true);
    }
  });

  it('draws every random number from the seed: another seed gives another map', () => {
    const data = blobs(15, 4);
    const a = umap2(data, 30, 4, { epochs: 50, seed: 3 });
    const b = umap2(data, 30, 4, { epochs: 50, seed: 4 });
    expect(b.x).not.toEqual(a.x);
  });

  it('starts from PCA, so the blobs stay apart along the PCA view\'s first axis', () => {
    const data = blobs(30, 10);
    const p = pca2(data, 60, 10);
    const { x, y } = umap2(data, 60, 10, { epochs: 100 });
    const mean = (v: Float32Array, from: number): number => v.subarray(from, from + 30).reduce((s, t) => s + t, 0) / 30;
    const [dx, dy] = [mean(x, 30) - mean(x, 0), mean(y, 30) - mean(y, 0)];
    expect(Math.abs(dx)).toBeGreaterThan(3 * Math.abs(dy));
    expect(Math.sign(dx)).toBe(Math.sign(mean(p.x, 30) - mean(p.x, 0)));
  });
});
