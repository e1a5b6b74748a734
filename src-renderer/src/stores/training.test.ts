import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setBridge } from '../services/bridge';
import { epochRecord, fakeEntry, fakeRun, fakeTrainingStudio, terms } from '../../../testing/renderer/fake-training';
import { useNavigationStore } from './navigation';
import { useSessionStore } from './session';
import { presetFor, useTrainingStore } from './training';

type Fake = ReturnType<typeof fakeTrainingStudio>;

async function ready(fake: Fake): Promise<ReturnType<typeof useTrainingStore>> {
  setBridge(fake.api);
  await useSessionStore().init();
  const s = useTrainingStore();
  await s.init();
  return s;
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('the training store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    setBridge(null);
  });
  afterEach(() => vi.useRealTimers());

  it('starts the form from the preset that fits the open dataset', async () => {
    expect(presetFor('CMU-MOSEI unaligned', false)).toBe('mosei');
    expect(presetFor('mosi', false)).toBe('mosi');
    const s = await ready(fakeTrainingStudio());
    expect(s.form?.preset).toBe('demo');
    expect(s.form?.train.epochs).toBe(30);
    await s.setPreset('mosi');
    expect(s.form?.train.epochs).toBe(100);
  });

  it('restores a run the worker owns, with its curves, when the view mounts again', async () => {
    const fake = fakeTrainingStudio();
    fake.script.status = { active: true, run: fakeRun('running', 3) };
    const s = await ready(fake);
    expect(s.running).toBe(true);
    expect(s.curves.history).toHaveLength(3);
    expect(s.curves.steps.x.length).toBe(6);
    expect(s.progress?.epoch).toBe(2);
    expect(s.canStart).toBe(false);
  });

  it('refuses to start with an invalid field and sends nothing', async () => {
    const fake = fakeTrainingStudio();
    const s = await ready(fake);
    s.form!.model.d = 15;
    expect(s.formErrors['model.d']).toBeDefined();
    expect(s.canStart).toBe(false);
    expect(await s.start()).toBe(false);
    expect(fake.calls.some((c) => c.method === 'startTraining')).toBe(false);
  });

  it('starts with every value of the form and shows the new run', async () => {
    const fake = fakeTrainingStudio();
    const s = await ready(fake);
    s.form!.model.d = 16;
    s.form!.model.heads = 2;
    expect(await s.start()).toBe(true);
    const sent = fake.calls.find((c) => c.method === 'startTraining')?.params as { preset: string; model: { d: number }; train: { epochs: number } };
    expect(sent).toMatchObject({ preset: 'demo', model: { d: 16 }, train: { epochs: 30 } });
    expect(s.run?.state).toBe('running');
    expect(s.active).toBe(true);
  });

  it('puts the worker’s coded error on the field it names', async () => {
    const fake = fakeTrainingStudio();
    fake.script.startError = { code: 'ARG_INVALID', message: 'k_a must be in [0, 1], got 2' };
    const s = await ready(fake);
    expect(await s.start()).toBe(false);
    expect(s.error).toEqual({ text: 'Invalid request: k_a must be in [0, 1], got 2', field: 'train.k.a' });
  });

  it('draws progress events at most four times a second and lists the checkpoint when an epoch is saved', async () => {
    const fake = fakeTrainingStudio();
    fake.script.status = { active: true, run: fakeRun('running', 0) };
    vi.useFakeTimers();
    const s = await ready(fake);
    for (let i = 1; i <= 20; i++) fake.emit({ type: 'train-progress', progress: { kind: 'step', epoch: 0, epochs: 30, step: i, steps: 20, terms: terms(i), elapsedMs: i, etaMs: 100 } });
    expect(s.curves.steps.x.length).toBe(0);
    vi.advanceTimersByTime(300);
    expect(s.curves.steps.x.length).toBe(20);
    expect(s.progress?.step).toBe(20);
    fake.script.checkpoints = [fakeEntry('/home/runs/demo/a.safetensors', { running: true })];
    fake.emit({ type: 'train-progress', progress: { kind: 'epoch', epoch: 0, epochs: 30, step: 20, steps: 20, record: epochRecord(0, 1), elapsedMs: 9, etaMs: 90 } });
    vi.useRealTimers();
    await flush();
    expect(s.checkpoints.map((c) => c.path)).toEqual(['/home/runs/demo/a.safetensors']);
  });

  it('stops, then offers to resume the run from its sidecar', async () => {
    const fake = fakeTrainingStudio();
    fake.script.status = { active: true, run: fakeRun('running', 2) };
    const s = await ready(fake);
    fake.script.status = { active: false, run: fakeRun('stopped', 2) };
    fake.script.checkpoints = [fakeEntry('/home/runs/demo/a.safetensors', { resumable: { epoch: 2, epochs: 30 } })];
    await s.stop();
    fake.emit({ type: 'train-state', checkpoint: '/home/runs/demo/a.safetensors', state: 'stopped', jobId: null });
    await flush();
    expect(fake.calls.some((c) => c.method === 'stopTraining')).toBe(true);
    expect(s.run?.state).toBe('stopped');
    expect(s.resumable?.path).toBe('/home/runs/demo/a.safetensors');
    expect(await s.resume('/home/runs/demo/a.safetensors')).toBe(true);
    expect(fake.calls.find((c) => c.method === 'resumeTraining')?.params).toEqual({ checkpoint: '/home/runs/demo/a.safetensors' });
    expect(s.run?.resumedFrom).toBe(2);
  });

  it('offers to resume a run left unfinished when the worker restarted (no run of its own)', async () => {
    const fake = fakeTrainingStudio();
    fake.script.checkpoints = [fakeEntry('/home/runs/demo/done.safetensors'), fakeEntry('/home/runs/demo/crashed.safetensors', { resumable: { epoch: 4, epochs: 30 } })];
    const s = await ready(fake);
    expect(s.run).toBeNull();
    expect(s.unfinished?.path).toBe('/home/runs/demo/crashed.safetensors');
    await s.resume(s.unfinished!.path);
    expect(s.unfinished).toBeNull();
    expect(s.run?.checkpoint).toBe('/home/runs/demo/crashed.safetensors');
  });

  it('opens a checkpoint as the workbench model and shows the workbench', async () => {
    const fake = fakeTrainingStudio();
    const s = await ready(fake);
    useNavigationStore().go('training');
    await s.openCheckpoint('/home/runs/demo/a.safetensors');
    expect(useSessionStore().overview?.checkpoint?.path).toBe('/home/runs/demo/a.safetensors');
    expect(useNavigationStore().view).toBe('workbench');
    expect(s.error).toBeNull();
  });
});
