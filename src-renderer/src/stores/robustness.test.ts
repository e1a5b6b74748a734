import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { RobustnessParams } from '#contract/training-methods';
import { fixtureEntry, fixtureRecord } from '../../../testing/renderer/fixture-report';
import { setBridge } from '../services/bridge';
import { fakeStudio, type FakeStudio } from '../../../testing/renderer/fake-studio';
import { useRobustnessStore } from './robustness';

const A = '/runs/a.safetensors';
const B = '/runs/b.safetensors';
const C = '/runs/c.safetensors';

/** A fake whose sweeps wait until the test finishes them, so progress can be watched. */
function setup(): { fake: FakeStudio; store: ReturnType<typeof useRobustnessStore>; sweeps: RobustnessParams[]; finish: (ok?: boolean) => void } {
  setActivePinia(createPinia());
  const fake = fakeStudio();
  const sweeps: RobustnessParams[] = [];
  const pending: ((ok: boolean) => void)[] = [];
  fake.api.listCheckpoints = async () => ({
    ok: true,
    value: { runsRoot: '/runs', unreadable: [], checkpoints: [fixtureEntry(A, { robustness: fixtureRecord(A, 0.8) }), fixtureEntry(B), fixtureEntry(C, { fitsOpenDataset: false })] },
  });
  fake.api.runRobustness = (p) => {
    sweeps.push(p);
    return new Promise((resolve) => pending.push((ok) => resolve(ok ? { ok: true, value: fixtureRecord(p.checkpoints[0], 0.7, '2026-02-01T00:00:00.000Z') } : { ok: false, error: { code: 'CHECKPOINT_MISMATCH', message: 'dims differ' } })));
  };
  fake.api.exportRobustness = async (p) => ({ ok: true, value: { text: p.format === 'csv' ? 'condition,MAE\nmean 0.0-0.9,0.7\n' : '| t |', fileName: `x.${p.format}`, mimeType: 'text/plain' } });
  setBridge(fake.api);
  return { fake, store: useRobustnessStore(), sweeps, finish: (ok = true) => pending.shift()!(ok) };
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('the robustness store', () => {
  beforeEach(() => setBridge(null));

  it('shows the models that already have a saved sweep when it first loads', async () => {
    const { store } = setup();
    await store.refresh();
    expect(store.checkpoints.map((c) => c.path)).toEqual([A, B, C]);
    expect(store.models.map((m) => [m.path, m.name, m.tag])).toEqual([[A, 'a', 'DAR']]);
  });

  it('sweeps the selected models one after the other with the chosen split and seeds, following progress', async () => {
    const { fake, store, sweeps, finish } = setup();
    await store.refresh();
    store.toggleSelected(B);
    store.toggleSelected(C);
    store.seedCount = 2;
    store.split = 'valid';
    const run = store.runSweeps();
    await flush();
    expect(sweeps).toEqual([{ checkpoints: [B], dataset: undefined, split: 'valid', seeds: [1111, 1112] }]);
    fake.emit({ type: 'eval-progress', done: 4, total: 26, checkpoint: B });
    fake.emit({ type: 'eval-progress', done: 9, total: 26, checkpoint: '/elsewhere.safetensors' });
    expect(store.progress).toMatchObject({ checkpoint: B, position: 1, queued: 2, done: 4, total: 26 });
    finish();
    await flush();
    // C does not fit the open dataset: it is swept on the dataset its run trained on.
    expect(sweeps[1]).toMatchObject({ checkpoints: [C], dataset: '/demo' });
    expect(store.progress?.position).toBe(2);
    finish();
    await run;
    expect(store.running).toBe(false);
    expect(store.models.map((m) => m.path)).toEqual([A, B, C]);
    expect(store.models.map((m) => m.colour)).toEqual([0, 1, 2]);
  });

  it('stops the queue at a failed sweep and says which model failed', async () => {
    const { store, sweeps, finish } = setup();
    await store.refresh();
    const run = store.runSweeps([B, C]);
    await flush();
    finish(false);
    await run;
    expect(sweeps).toHaveLength(1);
    expect(store.error).toMatch(/^b: .*dims differ/);
    expect(store.models.map((m) => m.path)).toEqual([A]);
  });

  it('lists again when an experiment job is done, showing its new sweep but not a model the user hid', async () => {
    const { fake, store } = setup();
    await store.refresh();
    store.toggleShown(A);
    const list = fake.api.listCheckpoints;
    fake.api.listCheckpoints = async (p) => {
      const r = await list(p);
      if (r.ok) r.value.checkpoints[1] = fixtureEntry(B, { robustness: fixtureRecord(B, 0.6) });
      return r;
    };
    fake.emit({ type: 'job-progress', job: { state: 'evaluating' } as never });
    await flush();
    expect(store.records.has(B)).toBe(false);
    fake.emit({ type: 'job-progress', job: { state: 'done' } as never });
    await flush();
    expect(store.models.map((m) => m.path)).toEqual([B]);
  });

  it('keeps the newer of a saved and a fresh sweep of the same model', async () => {
    const { store, finish } = setup();
    await store.refresh();
    const run = store.runSweeps([A]);
    await flush();
    finish();
    await run;
    await store.refresh();
    expect(store.records.get(A)?.createdAt).toBe('2026-02-01T00:00:00.000Z');
  });

  it('hides and shows a model, and exports the shown models as one CSV with a model column', async () => {
    const { store, finish } = setup();
    await store.refresh();
    const run = store.runSweeps([B]);
    await flush();
    finish();
    await run;
    const csv = await store.exportTable('csv');
    expect(csv?.fileName).toBe('robustness-comparison.csv');
    expect(csv?.text.trimEnd().split('\n')).toEqual(['model,condition,MAE', 'a,mean 0.0-0.9,0.7', 'b,mean 0.0-0.9,0.7']);
    store.toggleShown(A);
    expect(store.models.map((m) => m.path)).toEqual([B]);
    expect((await store.exportTable('md'))?.text).toBe('| t |');
    store.toggleShown(B);
    expect(await store.exportTable('csv')).toBeNull();
  });
});
