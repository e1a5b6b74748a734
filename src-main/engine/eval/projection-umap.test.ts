import { describe, expect, it } from 'vitest';
import { createRng } from '../rng';
import { nearestNeighbors, umap2 } from './projection-umap';

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

describe('nearestNeighbors', () => {
  it('lists the exact k nearest, nearest first, without the point itself', () => {
    const { index, dist } = nearestNeighbors([0, 1, 3, 7], 4, 1, 2);
    expect(Array.from(index)).toEqual([1, 2, 0, 2, 1, 0, 2, 1]);
    expect(Array.from(dist)).toEqual([1, 3, 1, 2, 2, 3, 4, 6]);
  });
});
