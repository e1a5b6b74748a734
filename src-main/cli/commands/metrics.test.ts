import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../main';
import { METRIC_KEYS, computeMetrics } from '../../engine/eval/metrics';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
let dir = '';

function fakeIo(): { out: string[]; err: string[]; io: { out(t: string): void; err(t: string): void } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t) } };
}

async function csv(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const f = fakeIo();
  const code = await main(argv, f.io);
  return { code, out: f.out, err: f.err };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dar-metrics-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dar metrics', () => {
  it('prints the eight metrics as one JSON object in MMSA order at full precision', async () => {
    const path = await csv('ok.csv', 'id,prediction,label\na,0.5,1\n"b,c",-1.5,-1\nd,2.5,2\n');
    const { code, out, err } = await run('metrics', path, '--json');
    expect(code).toBe(0);
    expect(err).toEqual([]);
    expect(out).toHaveLength(1);
    const parsed = JSON.parse(out[0]) as Record<string, number | null>;
    expect(Object.keys(parsed)).toEqual([...METRIC_KEYS]);
    expect(parsed).toEqual(computeMetrics([0.5, -1.5, 2.5], [1, -1, 2]));
    expect(out[0]).toContain('"Mult_acc_7":0.3333333333333333');
  });

  it('prints null for metrics that are undefined (constant predictions, no non-zero label)', async () => {
    const path = await csv('zero.csv', 'label,prediction\n0,1\n0,1\n');
    const parsed = JSON.parse((await run('metrics', path, '--json')).out[0]) as Record<string, number | null>;
    expect(parsed.Corr).toBeNull();
    expect(parsed.Non0_acc_2).toBeNull();
    expect(parsed.Has0_acc_2).toBe(1);
  });

  it('prints a readable table without --json', async () => {
    const path = await csv('table.csv', 'label,prediction\n1,0.5\n-1,-1.5\n2,2.5\n');
    const { code, out } = await run('metrics', path);
    expect(code).toBe(0);
    for (const key of METRIC_KEYS) expect(out[0]).toContain(key);
    expect(out[0]).toMatch(/Mult_acc_7\s+0\.3333\s+\(33\.33 %\)/);
    expect(out[0]).toContain('3 predictions');
  });

  const errors: [string, string, RegExp][] = [
    ['missing column', 'label,pred\n1,2\n', /^error CSV_MALFORMED: .*line 1: expected a "prediction" column, got columns label,pred$/],
    ['non-numeric value', 'label,prediction\n1,2\n0.5,abc\n', /^error CSV_MALFORMED: .*line 3: prediction: expected a finite number, got "abc"$/],
    ['empty value', 'label,prediction\n,2\n', /^error CSV_MALFORMED: .*line 2: label: expected a finite number, got ""$/],
    ['short row', 'label,prediction\n1\n', /^error CSV_MALFORMED: .*line 2: no "prediction" value \(1 fields\)$/],
    ['no rows', 'label,prediction\n', /^error DATASET_EMPTY: .*no rows after the header$/],
    ['empty file', '', /^error DATASET_EMPTY: /],
  ];
  for (const [name, text, message] of errors) {
    it(`exits 2 with a coded error for a CSV with ${name}`, async () => {
      const path = await csv(`${name.replace(/ /g, '-')}.csv`, text);
      const { code, out, err } = await run('metrics', path, '--json');
      expect(code).toBe(2);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(message);
    });
  }

  it('exits 2 with FILE_NOT_FOUND for a missing file and ARG_INVALID without one', async () => {
    const missing = await run('metrics', join(dir, 'nope.csv'));
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toMatch(/^error FILE_NOT_FOUND: no such file: .*nope\.csv$/);
    const none = await run('metrics', '--json');
    expect(none.code).toBe(2);
    expect(none.err[0]).toMatch(/^error ARG_INVALID: missing CSV file/);
  });

  it('runs as a real process with exit codes 0 and 2 and no stack trace', async () => {
    const good = await csv('proc.csv', 'label,prediction\n1,0.5\n-1,-1.5\n');
    const ok = spawnSync(process.execPath, ['bin/dar.mjs', 'metrics', good, '--json'], { cwd: repoRoot, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(Object.keys(JSON.parse(ok.stdout) as object)).toEqual([...METRIC_KEYS]);
    const bad = spawnSync(process.execPath, ['bin/dar.mjs', 'metrics', join(dir, 'missing.csv'), '--json'], { cwd: repoRoot, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^error FILE_NOT_FOUND: no such file: /)]);
  });
});
