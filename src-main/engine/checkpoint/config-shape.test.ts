import { describe, expect, it } from 'vitest';
import { configShape } from './model-checkpoint';

describe('configShape', () => {
  it("reads DAR's and LNLN's nested dims and MISA's and Self-MM's flat ones alike", () => {
    const nested = { inputDims: { l: 768, a: 5, v: 20 }, seqLen: { l: 50, a: 375, v: 500 }, d: 128 };
    expect(configShape(nested)).toEqual({ inputDims: nested.inputDims, seqLen: nested.seqLen });
    const flat = { hidden: 128, dimL: 768, dimA: 5, dimV: 20, seqL: 50, seqA: 375, seqV: 500 };
    expect(configShape(flat)).toEqual({ inputDims: nested.inputDims, seqLen: nested.seqLen });
  });

  it('gives NaN for dims a config lacks, so it fits no dataset', () => {
    expect(configShape({ hidden: 8 }).inputDims.l).toBeNaN();
  });
});
