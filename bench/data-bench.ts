/**
 * `npm run bench:data`: loads a MOSEI-shaped unaligned MMSA pickle of just over 2 GB with
 * readMmsaPickle in a fresh Node process and reports load time, throughput and peak RSS against
 * the memory bound 1.3 x (decoded float32 payload) + 300 MB.
 *
 * The pickle is written by python3 + numpy (protocol 4, float32, like MMSA's files) into a temp
 * folder and deleted at the end. Options: --keep (keep the file), --file <pkl> (bench an existing
 * pickle instead of generating one), --scale <x> (multiply the sample counts, default 1).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dataset } from '#contract/dataset';
import { readMmsaPickle } from '../src-main/engine/data/mmsa-pickle';

const MB = 1e6;

// MOSEI unaligned: T = 50/500/500, d = 768/74/35. Sample counts scaled down from
// 16326/1871/4659 so the file is just over 2 GB.
const PYTHON = `
import pickle, sys
import numpy as np

path, scale = sys.argv[1], float(sys.argv[2])
SPLITS = {'train': 4000, 'valid': 800, 'test': 1000}
rng = np.random.default_rng(0)

class Lazy:
    """Makes its array only while it is being pickled, so Python holds one array at a time."""
    def __init__(self, make):
        self.make = make
    def __reduce_ex__(self, protocol):
        return self.make().__reduce_ex__(protocol)

def feats(n, t, d, neg_inf=False):
    def make():
        x = rng.standard_normal((n, t, d), dtype=np.float32)
        if neg_inf:
            x[::97, 0, 0] = -np.inf
        return x
    return Lazy(make)

data = {}
for split, n in SPLITS.items():
    n = max(1, int(n * scale))
    data[split] = {
        'raw_text': np.array([f'{split} clip {i} text' for i in range(n)], dtype=object),
        'audio': feats(n, 500, 74, neg_inf=True),
        'vision': feats(n, 500, 35),
        'id': np.array([f'video{i // 8}' + '$_$' + str(i % 8) for i in range(n)], dtype=object),
        'text': feats(n, 50, 768),
        'text_bert': np.stack([rng.integers(100, 30000, (n, 50)), np.ones((n, 50), np.int64), np.zeros((n, 50), np.int64)], 1),
        'annotations': np.array(['Neutral'] * n, dtype=object),
        'classification_labels': np.zeros(n, np.float32),
        'regression_labels': rng.uniform(-3, 3, n).astype(np.float32),
        'audio_lengths': rng.integers(1, 501, n).tolist(),
        'vision_lengths': rng.integers(1, 501, n).tolist(),
    }
with open(path, 'wb') as f:
    p = pickle.Pickler(f, protocol=4)
    p.fast = True  # no memo: it would keep every array's bytes alive
    p.dump(data)
`;

interface ChildReport {
  loadSeconds: number;
  payloadBytes: number;
  vmHwmBytes: number | null;
  maxRssBytes: number;
  samples: number;
}

function floatPayload(ds: Dataset): number {
  let bytes = 0;
  for (const split of Object.values(ds.splits)) {
    bytes += split.l.data.byteLength + split.a.data.byteLength + split.v.data.byteLength + split.labels.byteLength;
  }
  return bytes;
}

function vmHwm(): number | null {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : null;
}

async function child(path: string): Promise<void> {
  const t0 = performance.now();
  const ds = await readMmsaPickle(path);
  const loadSeconds = (performance.now() - t0) / 1000;
  const report: ChildReport = {
    loadSeconds,
    payloadBytes: floatPayload(ds),
    vmHwmBytes: vmHwm(),
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    samples: ds.splits.train.n + ds.splits.valid.n + ds.splits.test.n,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function generate(path: string, scale: number): void {
  const t0 = performance.now();
  const r = spawnSync('python3', ['-c', PYTHON, path, String(scale)], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error || r.status !== 0) throw new Error(`python3 + numpy could not write the pickle (${r.error?.message ?? `exit ${r.status}`})`);
  console.log(`generated ${path} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

function measure(path: string): ChildReport {
  // A fresh process, so the RSS peak is the load's alone; execArgv carries tsx's loader.
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', path], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`the loading process failed (exit ${r.status})`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildReport;
}

function print(fileBytes: number, r: ChildReport): void {
  const peak = r.vmHwmBytes ?? r.maxRssBytes;
  const bound = 1.3 * r.payloadBytes + 300 * MB;
  const rows: [string, string][] = [
    ['file size', `${(fileBytes / MB).toFixed(0)} MB`],
    ['samples', String(r.samples)],
    ['decoded float32 payload', `${(r.payloadBytes / MB).toFixed(0)} MB`],
    ['load time', `${r.loadSeconds.toFixed(2)} s`],
    ['throughput', `${(fileBytes / MB / r.loadSeconds).toFixed(0)} MB/s (file bytes)`],
    ['peak RSS', `${(peak / MB).toFixed(0)} MB (${r.vmHwmBytes !== null ? 'VmHWM' : 'maxRSS'})`],
    ['bound 1.3 x payload + 300 MB', `${(bound / MB).toFixed(0)} MB`],
    ['peak / bound', `${(peak / bound).toFixed(3)}${peak <= bound ? '' : '  EXCEEDED'}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join('\n'));
  if (peak > bound) process.exitCode = 1;
}

async function bench(argv: string[]): Promise<void> {
  const given = argv.includes('--file') ? argv[argv.indexOf('--file') + 1] : undefined;
  const scale = argv.includes('--scale') ? Number(argv[argv.indexOf('--scale') + 1]) : 1;
  const dir = given ? null : mkdtempSync(join(tmpdir(), 'dar-data-bench-'));
  const path = given ?? join(dir as string, 'mosei_unaligned_bench.pkl');
  try {
    if (!given) generate(path, scale);
    print(statSync(path).size, measure(path));
  } finally {
    if (dir && !argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
    else if (dir) console.log(`kept ${path}`);
  }
}

const args = process.argv.slice(2);
if (args[0] === '--child') await child(args[1]);
else await bench(args);
