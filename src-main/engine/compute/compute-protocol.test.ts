import { describe, expect, it } from 'vitest';
import { decodeCompute, encodeCompute, pack, transferOf, unpack } from './compute-protocol';

describe('the compute protocol', () => {
  it('carries maps, typed arrays and non-finite numbers through one frame', () => {
    const weights = new Map([['a.kernel', { data: Float32Array.of(1, 2, 3), shape: [3] }]]);
    const call = { id: 7, request: { op: 'importWeights', model: 2, weights } } as const;
    const back = decodeCompute(encodeCompute(call)) as typeof call;
    expect(back.id).toBe(7);
    expect(back.request.weights).toBeInstanceOf(Map);
    expect(back.request.weights.get('a.kernel')!.data).toEqual(Float32Array.of(1, 2, 3));
    const answer = decodeCompute(encodeCompute({ kind: 'answer', id: 1, ok: true, value: { gradNorm: NaN, terms: { task: Infinity, club: -Infinity, total: 0.5 } } }));
    expect(answer).toEqual({ kind: 'answer', id: 1, ok: true, value: { gradNorm: NaN, terms: { task: Infinity, club: -Infinity, total: 0.5 } } });
  });

  it('keeps nested maps inside arrays and plain objects', () => {
    const value = { optimizers: { adam: { step: 3, m: new Map([['w', Float32Array.of(0.5)]]) } }, list: [new Map([[1, 'x']])] };
    expect(unpack(pack(value))).toEqual(value);
  });

  it('transfers a frame that owns its whole buffer, and nothing of a view into a bigger one', () => {
    const frame = encodeCompute({ kind: 'lost', reason: 'test' });
    expect(transferOf(frame)).toEqual(frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength ? [frame.buffer] : []);
    expect(transferOf(new Uint8Array(new ArrayBuffer(16), 4, 8))).toEqual([]);
  });
});
