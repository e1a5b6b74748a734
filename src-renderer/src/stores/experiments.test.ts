import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setBridge } from '../services/bridge';
import { fakeJob, fakeReport, fakeTrainingStudio } from '../../../testing/renderer/fake-training';
import { parseSeeds, useExperimentsStore } from './experiments';
import { useSessionStore } from './session';

type Fake = ReturnType<typeof fakeTrainingStudio>;

async function ready(fake: Fake): Promise<ReturnType<typeof useExperimentsStore>> {
  setBridge(fake.api);
  await useSessionStore().init();
  const s = useExperimentsStore();
  await s.init();
  return s;
}

describe('the experiments store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    setBridge(null);
  });

  it('queues a set with the epochs, model size and seeds of the form and shows it', async () => {
    const fake = fakeTrainingStudio();
    const s = await ready(fake);
    s.epochs = 2;
    s.size = 'small';
    s.seedText = '1111, 1112';
    expect(await s.queue('ablations')).toBe(true);
    expect(fake.calls.find((c) => c.method === 'queueExperiments')?.params).toEqual({ kind: 'ablations', preset: 'demo', epochs: 2, seeds: [1111, 1112], model: { d: 32, t: 8, heads: 2 } });
    expect(s.shown?.id).toBe('e2');
    expect(s.rows.map((r) => r.variant)).toEqual(['full', 'no_sim']);
  });

  it('queues Table 1 with three seeds unless the form names others', async () => {
    const fake = fakeTrainingStudio();
    const s = await ready(fake);
    s.epochs = 1;
    expect(await s.queueTable1()).toBe(true);
    const asked = () => fake.calls.filter((c) => c.method === 'queueExperiments').map((c) => c.params);
    expect(asked()[0]).toMatchObject({ kind: 'models', epochs: 1, seeds: [1111, 1112, 1113] });
    s.seedText = '7, 8';
    expect(await s.queueTable1()).toBe(true);
    expect(asked()[1]).toMatchObject({ kind: 'models', seeds: [7, 8] });
  });

  it('refuses a bad epoch count or seed list without asking the worker', async () => {
    const fake = fakeTrainingStudio();
    const s = await ready(fake);
    s.epochs = 0;
    expect(s.formErrors.epochs).toBeDefined();
    expect(await s.queue('k-sweep')).toBe(false);
    s.epochs = 1;
    s.seedText = '11x';
    expect(await s.queue('k-sweep')).toBe(false);
    expect(fake.calls.some((c) => c.method === 'queueExperiments')).toBe(false);
    expect(parseSeeds('')).toEqual([]);
    expect(parseSeeds('1 2,3')).toEqual([1, 2, 3]);
  });

  it('fills the comparison as job events report finished sweeps', async () => {
    const fake = fakeTrainingStudio();
    fake.script.jobs.jobs = [fakeJob('e1', 'full'), fakeJob('e1', 'no_sim')];
    const s = await ready(fake);
    expect(s.rows.every((r) => r.metrics === null)).toBe(true);
    fake.emit({ type: 'job-progress', job: fakeJob('e1', 'full', { state: 'training' }) });
    expect(s.running).toBe('e1:full-s1111');
    expect(s.rows[0].state).toBe('training');
    fake.emit({ type: 'job-progress', job: fakeJob('e1', 'full', { state: 'done', report: fakeReport(0.7) }) });
    expect(s.running).toBeNull();
    expect(s.rows[0].metrics?.MAE).toBeCloseTo(0.7);
    expect(s.rows[0].checkpoint).toBe('/home/runs/fake/e1/full-s1111.safetensors');
    expect(s.rows[1].metrics).toBeNull();
  });

  it('cancels the unfinished jobs of an experiment and resumes a paused queue', async () => {
    const fake = fakeTrainingStudio();
    fake.script.jobs = { ...fake.script.jobs, paused: true, jobs: [fakeJob('e1', 'full', { state: 'done', report: fakeReport(0.5) }), fakeJob('e1', 'no_sim')] };
    const s = await ready(fake);
    expect(s.paused).toBe(true);
    await s.cancel('e1');
    expect(s.rows.map((r) => r.state)).toEqual(['done', 'cancelled']);
    await s.resume();
    expect(s.paused).toBe(false);
  });
});
