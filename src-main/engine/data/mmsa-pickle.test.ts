import { describe, it, expect, beforeEach } from 'vitest';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Dataset, Modality, SeqTensor, SplitName } from '#contract/dataset';
import { DarError } from '../errors';
import { summarizeDataset } from './inspect';
import { readMmsaPickle } from './mmsa-pickle';

const fixtures = fileURLToPath(new URL('../../../testing/engine/data/pickles/', import.meta.url));

interface Checksum {
  sum: number;
  wsum: number;
}
type SplitChecks = Record<Modality, Checksum> & { id0: string; rawText0: string; labels: number[] };
interface GoodExpectation {
  summary: unknown;
  info: { aligned: boolean; dims: unknown; seqLen: unknown; nonfinite: unknown };
  checks: Record<SplitName, SplitChecks>;
}
const expected = JSON.parse(readFileSync(`${fixtures}expected.json`, 'utf8')) as {
  marker: string;
  good: Record<string, GoodExpectation>;
  bad: Record<string, string>;
};
const SPLITS: SplitName[] = ['train', 'valid', 'test'];

/** numpy's order-sensitive checksum of a tensor (see make_pickles.py). */
function checksum(x: SeqTensor): Checksum {
  let sum = 0;
  let wsum = 0;
  for (let i = 0; i < x.data.length; i++) {
    sum += x.data[i];
    wsum += x.data[i] * ((i % 7) + 1);
  }
  return { sum, wsum };
}

/** Deep equality with a relative tolerance on numbers (numpy and JS sum in different orders). */
function expectClose(actual: unknown, wanted: unknown, path = ''): void {
  if (typeof wanted === 'number') {
    expect(typeof actual, path).toBe('number');
    expect(Math.abs((actual as number) - wanted), path).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(wanted)));
  } else if (wanted !== null && typeof wanted === 'object') {
    expect(Object.keys(actual as object).sort(), path).toEqual(Object.keys(wanted).sort());
    for (const [k, v] of Object.entries(wanted)) expectClose((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else expect(actual, path).toEqual(wanted);
}

async function failure(name: string): Promise<DarError> {
  try {
    await readMmsaPickle(`${fixtures}${name}`);
  } catch (err) {
    if (err instanceof DarError) return err;
    throw err;
  }
  throw new Error(`${name} loaded without an error`);
}

describe('readMmsaPickle on MMSA-like fixtures', () => {
  const good = Object.keys(expected.good);

  it.each(good)('%s: inspect summary matches what numpy computed', async (name) => {
    const ds = await readMmsaPickle(`${fixtures}${name}`);
    expectClose(summarizeDataset(ds), expected.good[name].summary);
  });

  it.each(good)('%s: info has the format, dims, lengths, alignment and non-finite totals', async (name) => {
    const { info } = await readMmsaPickle(`${fixtures}${name}`);
    const want = expected.good[name].info;
    expect(info).toMatchObject({ format: 'mmsa-pickle', name, synthetic: false, warnings: [], ...want });
    expect(info.path).toBe(`${fixtures}${name}`);
  });

  it.each(good)('%s: features, labels, ids and raw text hold numpy values in C order', async (name) => {
    const ds = await readMmsaPickle(`${fixtures}${name}`);
    for (const split of SPLITS) {
      const data = ds.splits[split];
      const want = expected.good[name].checks[split];
      for (const m of ['l', 'a', 'v'] as Modality[]) {
        expect(data[m].data).toBeInstanceOf(Float32Array);
        expectClose(checksum(data[m]), want[m], `${split}.${m}`);
      }
      expectClose(Array.from(data.labels), want.labels, `${split}.labels`);
      expect([data.ids[0], data.rawText[0], data.ids.length, data.rawText.length]).toEqual([want.id0, want.rawText0, data.n, data.n]);
      expect([data.timing, data.videos, data.sourceMissing]).toEqual([undefined, undefined, undefined]);
    }
  });

  it.each(good)('%s: reads the same with a 7-byte buffer and every payload lazy', async (name) => {
    const reference = await readMmsaPickle(`${fixtures}${name}`);
    const small = await readMmsaPickle(`${fixtures}${name}`, { chunkSize: 7, lazyThreshold: 64 });
    expect(small).toEqual(reference);
  });

  it('zeroes -inf and NaN in audio and counts them per split', async () => {
    const ds: Dataset = await readMmsaPickle(`${fixtures}aligned_p4.pkl`);
    const audio = ds.splits.train.a;
    expect(audio.data[0]).toBe(0); // was -inf
    expect(audio.data.every((x) => Number.isFinite(x))).toBe(true);
    expect(ds.splits.train.nonfinite).toEqual({ l: 0, a: 5, v: 0 });
    expect(ds.info.nonfinite).toEqual({ l: 0, a: 9, v: 1 });
  });

  it('uses the attention-mask sum for text and, in aligned files, for audio and vision', async () => {
    const ds = await readMmsaPickle(`${fixtures}aligned_p4.pkl`);
    const { lengths } = ds.splits.valid;
    expect(lengths.a).toEqual(lengths.l);
    expect(lengths.v).toEqual(lengths.l);
  });
});

describe('readMmsaPickle on bad files', () => {
  beforeEach(() => rmSync(expected.marker, { force: true }));

  it.each(Object.entries(expected.bad))('%s fails with %s', async (name, code) => {
    expect((await failure(name)).code).toBe(code);
  });

  it('never runs the os.system or eval payloads', async () => {
    expect((await failure('unsafe_os_system.pkl')).message).toMatch(/os\.system/);
    expect((await failure('unsafe_eval.pkl')).message).toMatch(/builtins\.eval/);
    expect(existsSync(expected.marker)).toBe(false);
  });

  it('names split, key and shapes in shape errors', async () => {
    expect((await failure('shape_mismatch.pkl')).message).toBe('valid.audio: expected [N,T,D] with N=2 (as text), got [1,10,5]');
    expect((await failure('dims_mismatch.pkl')).message).toMatch(/^test\.vision: expected \[2,10,20\].*got \[2,10,7\]/);
    expect((await failure('wrong_rank.pkl')).message).toMatch(/^train\.text: expected \[N,T,D\], got \[2,10\]/);
    expect((await failure('length_too_long.pkl')).message).toMatch(/vision_lengths.*11.*0\.\.10/);
  });

  it('names what is missing', async () => {
    expect((await failure('missing_split.pkl')).message).toMatch(/"test"/);
    expect((await failure('missing_key.pkl')).message).toMatch(/valid has no "regression_labels"/);
    expect((await failure('empty_split.pkl')).message).toMatch(/^test has no samples/);
    expect((await failure('truncated.pkl')).message).toMatch(/truncated at offset \d+/);
  });

  it('reports a missing file as FILE_NOT_FOUND', async () => {
    expect((await failure('no-such-file.pkl')).code).toBe('FILE_NOT_FOUND');
  });
});
