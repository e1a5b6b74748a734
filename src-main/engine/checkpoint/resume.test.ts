import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readResume, removeResume, resumePath, writeResume } from './resume';
import type { ResumeState } from './resume';
import { readSafetensors, writeSafetensors } from './safetensors';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dar-resume-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const t = (values: number[], shape: number[]) => ({ data: new Float32Array(values), shape });

function sampleState(): ResumeState {
  return {
    epoch: 7,
    step: 700,
    bestSel: 1.25,
    badEpochs: 3,
    rng: { seed: 1111, dropoutCounter: 4242 },
    weights: new Map([
      ['align.a.conv.kernel', t([1, 2, 3, 4], [2, 2])],
      ['club.a.mu.bias', t([0.5], [1])],
    ]),
    optimizers: {
      adam: { step: 700, m: new Map([['align.a.conv.kernel', t([0.1, 0.2, 0.3, 0.4], [2, 2])]]), v: new Map([['align.a.conv.kernel', t([1e-3, 2e-3, 3e-3, 4e-3], [2, 2])]]) },
      club: { step: 699, m: new Map([['club.a.mu.bias', t([-0.1], [1])]]), v: new Map([['club.a.mu.bias', t([1e-5], [1])]]) },
    },
    extra: { history: [{ epoch: 0, sel: 2 }] },
  };
}

describe('resume sidecar', () => {
  it('sits beside the checkpoint', () => {
    expect(resumePath('/runs/model.safetensors')).toBe('/runs/model.resume.safetensors');
    expect(resumePath('/runs/model')).toBe('/runs/model.resume.safetensors');
  });

  it('round-trips counters, RNG positions, latest weights and optimizer moments', async () => {
    const ckpt = path.join(dir, 'model.safetensors');
    const state = sampleState();
    await writeResume(ckpt, state);
    const { tensors } = await readSafetensors(resumePath(ckpt));
    expect([...tensors.keys()]).toEqual([
      'adam.m.align.a.conv.kernel',
      'adam.v.align.a.conv.kernel',
      'club.m.club.a.mu.bias',
      'club.v.club.a.mu.bias',
      'weights.align.a.conv.kernel',
      'weights.club.a.mu.bias',
    ]);
    expect(await readResume(ckpt)).toEqual(state);
  });

  it('stores a non-finite best L_sel as null', async () => {
    const ckpt = path.join(dir, 'model.safetensors');
    await writeResume(ckpt, { ...sampleState(), bestSel: Infinity });
    expect((await readResume(ckpt))!.bestSel).toBeNull();
  });

  it('returns null when there is nothing to resume, and removes the sidecar', async () => {
    const ckpt = path.join(dir, 'model.safetensors');
    expect(await readResume(ckpt)).toBeNull();
    await writeResume(ckpt, sampleState());
    await removeResume(ckpt);
    await removeResume(ckpt);
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects a safetensors file that is not a sidecar', async () => {
    const ckpt = path.join(dir, 'model.safetensors');
    await writeSafetensors(resumePath(ckpt), { tensors: new Map(), metadata: { format: '"other"' } });
    await expect(readResume(ckpt)).rejects.toMatchObject({ code: 'CHECKPOINT_MALFORMED', message: expect.stringMatching(/format: expected "dar-resume\/1"/) });
  });

  it('rejects tensors that belong to no optimizer', async () => {
    const ckpt = path.join(dir, 'model.safetensors');
    await writeResume(ckpt, sampleState());
    const { tensors, metadata } = await readSafetensors(resumePath(ckpt));
    tensors.set('sgd.m.x', t([1], [1]));
    await writeSafetensors(resumePath(ckpt), { tensors, metadata });
    await expect(readResume(ckpt)).rejects.toThrow(/tensor sgd\.m\.x is neither/);
  });
});
