import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main';
import { DEFAULT_DEMO_DIR } from './demo-data';

let dir = '';

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out, err };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dar-demo-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dar demo-data', () => {
  it('writes a small corpus to --out and reports it as JSON', async () => {
    const out = join(dir, 'demo');
    const { code, out: stdout } = await run('demo-data', '--out', out, '--no-media', '--train', '6', '--valid', '2', '--test', '2', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout[0]) as { out: string; clips: Record<string, number>; videos: unknown[] };
    expect(report.out).toBe(out);
    expect(report.clips).toEqual({ train: 6, valid: 2, test: 2 });
    expect((await readdir(out)).sort()).toEqual(['dataset.json', 'features', 'label.csv']);
  });

  it('says in its summary that the corpus is synthetic', async () => {
    const { code, out } = await run('demo-data', '--out', join(dir, 'table'), '--no-media', '--train', '3', '--valid', '1', '--test', '1');
    expect(code).toBe(0);
    expect(out[0]).toContain('SYNTHETIC demo corpus');
  });

  it('exits 2 with a coded error for a folder that is not a demo corpus, or a bad size', async () => {
    const other = join(dir, 'other');
    await mkdir(other);
    await writeFile(join(other, 'x.txt'), 'x');
    const refused = await run('demo-data', '--out', other, '--no-media');
    expect(refused.code).toBe(2);
    expect(refused.err[0]).toMatch(/^error ARG_INVALID: .*other exists and is not a demo corpus/);
    const bad = await run('demo-data', '--out', join(dir, 'bad'), '--no-media', '--train', '0');
    expect(bad.err[0]).toMatch(/^error ARG_INVALID: demo corpus: nTrain must be a positive integer, got 0/);
  });

  it('defaults to resources/demo of the checkout, wherever it is run from', () => {
    expect(DEFAULT_DEMO_DIR.replace(/\\/g, '/')).toMatch(/\/resources\/demo$/);
    expect(DEFAULT_DEMO_DIR).toBe(join(import.meta.dirname, '..', '..', '..', 'resources', 'demo'));
  });
});
