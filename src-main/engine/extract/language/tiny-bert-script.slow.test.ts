import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, readGoldens } from '../../../../testing/engine/extract/language/tiny-bert-fixture';
import { createTextEncoder } from './index';

// Reruns the fixture script where PyTorch and transformers are installed (DAR_BERT_PYTHON names
// the interpreter, e.g. a venv's), and checks the committed fixture is what it writes, and that
// the encoder agrees with PyTorch on the fresh model as well.
const PYTHON = process.env.DAR_BERT_PYTHON ?? '/usr/bin/python3';
const SCRIPT = join(import.meta.dirname, '../../../../scripts/fixtures/make-tiny-bert.py');
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, transformers, onnx'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasTorch)('make-tiny-bert.py (PyTorch)', () => {
  let out = '';
  afterAll(async () => {
    // The script writes the masked-LM variant beside its output folder.
    for (const dir of out ? [out, `${out}-mlm`] : []) await rm(dir, { recursive: true, force: true });
  });

  it('writes the committed goldens again, and the encoder matches PyTorch on its model', { timeout: 120_000 }, async () => {
    out = await mkdtemp(join(tmpdir(), 'dar-tiny-bert-'));
    const run = spawnSync(PYTHON, [SCRIPT, '--out', out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const fresh = readGoldens(out);
    const committed = readGoldens();
    expect(fresh.cases.map((c) => c.ids)).toEqual(committed.cases.map((c) => c.ids));
    for (const [i, c] of fresh.cases.entries()) expect(maxAbsDiff(c.data, committed.cases[i].data)).toBeLessThan(1e-5);
    const encoder = await createTextEncoder({ modelDir: out });
    try {
      for (const c of fresh.cases) expect(maxAbsDiff((await encoder.encode(c.words)).data, c.data)).toBeLessThan(1e-4);
    } finally {
      await encoder.dispose();
    }
  });
});
