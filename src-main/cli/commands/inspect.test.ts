import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { main } from '../main';

const fixtures = fileURLToPath(new URL('../../../testing/engine/data/pickles/', import.meta.url));
const expected = JSON.parse(readFileSync(`${fixtures}expected.json`, 'utf8')) as { good: Record<string, { summary: unknown }> };

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('dar inspect', () => {
  it('prints the dataset summary as one JSON object with --json', async () => {
    const { code, out } = await run('inspect', `${fixtures}unaligned_p5_np1.pkl`, '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(out) as { format: string; splits: Record<string, { n: number; audio: number[] }> };
    expect(summary.format).toBe('mmsa-pickle');
    expect(summary.splits.valid.audio).toEqual([3, 60, 5]);
    expect(Object.keys(summary)).toEqual(Object.keys(expected.good['unaligned_p5_np1.pkl'].summary as object));
  });

  it('prints a table with shapes and non-finite counts otherwise', async () => {
    const { code, out } = await run('inspect', `${fixtures}aligned_p4.pkl`);
    expect(code).toBe(0);
    expect(out).toMatch(/aligned_p4\.pkl \(mmsa-pickle, aligned\)/);
    expect(out).toMatch(/audio \[N,T,D\]\s+\[6,50,5\]\s+\[4,50,5\]\s+\[5,50,5\]/);
    expect(out).toMatch(/non-finite l\/a\/v\s+0\/5\/0\s+0\/2\/1\s+0\/2\/0/);
  });

  it('exits 2 with the error code for an unsafe pickle or a missing path', async () => {
    const unsafe = await run('inspect', `${fixtures}unsafe_os_system.pkl`);
    expect([unsafe.code, unsafe.err]).toEqual([2, expect.stringMatching(/^error PICKLE_UNSAFE: .*os\.system/)]);
    const missing = await run('inspect', `${fixtures}nope.pkl`);
    expect([missing.code, missing.err]).toEqual([2, expect.stringMatching(/^error FILE_NOT_FOUND/)]);
    const none = await run('inspect');
    expect([none.code, none.err]).toEqual([2, expect.stringMatching(/^error ARG_INVALID/)]);
  });
});
