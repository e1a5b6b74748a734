import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import type { FeatureProjection, FeatureProjectionParams } from '#contract/training-methods';
import type { Result } from '#contract/errors';
import { fixtureProjection } from '../../../testing/renderer/fixture-projection';
import { setBridge } from '../services/bridge';
import { fakeStudio } from '../../../testing/renderer/fake-studio';
import { useFeatureSpaceStore } from './feature-space';
import { useNavigationStore } from './navigation';
import { useWorkbenchStore } from './workbench';

function setup() {
  setActivePinia(createPinia());
  const fake = fakeStudio();
  const asked: FeatureProjectionParams[] = [];
  const answers: ((r: Result<FeatureProjection>) => void)[] = [];
  fake.api.featureProjection = (p) => {
    asked.push(p);
    return new Promise((resolve) => answers.push(resolve));
  };
  setBridge(fake.api);
  return { store: useFeatureSpaceStore(), asked, answers };
}

describe('the feature-space store', () => {
  beforeEach(() => setBridge(null));

  it('asks for the projection the settings describe and keeps the newest answer only', async () => {
    const { store, asked, answers } = setup();
    const first = store.load();
    const second = store.update({ method: 'umap', features: 'common', maxClips: 100 });
    expect(asked[1]).toEqual({ split: 'test', method: 'umap', features: 'common', maxClips: 100 });
    answers[1]({ ok: true, value: { ...fixtureProjection(3), method: 'umap' } });
    await second;
    answers[0]({ ok: true, value: fixtureProjection(4) });
    await first;
    expect(store.projection?.method).toBe('umap');
    expect(store.loading).toBe(false);
  });

  it('projects again only when the open dataset or model changes', async () => {
    const { store, asked, answers } = setup();
    const first = store.ensure('/demo|/m1');
    answers[0]({ ok: true, value: fixtureProjection(3) });
    await first;
    await store.ensure('/demo|/m1');
    expect(asked).toHaveLength(1);
    const second = store.ensure('/demo|/m2');
    expect(store.projection).toBeNull(); // the old map's points belong to another model or dataset
    answers[1]({ ok: true, value: fixtureProjection(4) });
    await second;
    expect(asked).toHaveLength(2);
    expect(store.projection?.clips.length).toBe(4);
  });

  it('shows a failed projection as words', async () => {
    const { store, answers } = setup();
    const run = store.load();
    answers[0]({ ok: false, error: { code: 'NO_CHECKPOINT', message: 'open a model' } });
    await run;
    expect(store.error).toMatch(/no model is open/i);
  });

  it('opens the clip of a clicked point in the workbench', async () => {
    const { store, answers } = setup();
    const run = store.load();
    answers[0]({ ok: true, value: fixtureProjection(5) });
    await run;
    useNavigationStore().go('features');
    await store.openPoint(5 * 4 + 2);
    expect(useNavigationStore().view).toBe('workbench');
    expect(useWorkbenchStore().clipRef).toEqual({ split: 'test', index: 12 });
    expect(store.clipIdOf(5 * 4 + 2)).toBe('clip-12');
  });
});
