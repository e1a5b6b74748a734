import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ExtractJob } from '#contract/extract';
import { setBridge } from '../services/bridge';
import { fakeStudio } from '../../../testing/renderer/fake-studio';
import { useExtractStore } from './extract';
import { useSessionStore } from './session';

async function setup() {
  setActivePinia(createPinia());
  const fake = fakeStudio();
  setBridge(fake.api);
  await useSessionStore().init();
  return { fake, store: useExtractStore() };
}

const report = (written: number): ExtractJob['report'] => ({
  out: '/out', clips: [], written, skipped: 0, failed: 1, cancelled: false, warnings: [],
  timings: { probe: 0, audio: 0, acoustic: 0, visual: 0, language: 0, write: 0, mediaSeconds: 0, wall: 0 },
});

describe('the import store', () => {
  beforeEach(() => setBridge(null));

  it('asks for both folders before starting', async () => {
    const { fake, store } = await setup();
    await store.start();
    expect(store.error).toMatch(/videos folder/);
    expect(fake.calls.some((c) => c.method === 'startExtract')).toBe(false);
  });

  it('starts with the form, follows progress events, and opens the clip folder when done', async () => {
    const { fake, store } = await setup();
    Object.assign(store, { videos: ' /v ', out: '/out', fps: 5, acoustic: 'chsims' });
    await store.start(true);
    expect(fake.calls.find((c) => c.method === 'startExtract')?.params).toEqual({ videos: '/v', out: '/out', fps: 5, acoustic: 'chsims', resume: true });
    expect(store.running).toBe(true);
    const params = { videos: '/v', out: '/out' };
    const progress = { index: 1, total: 3, file: 'b.mp4', stage: 'visual' as const, fraction: 0.5, etaSeconds: 12, done: 1, skipped: 0, failed: 0 };
    fake.emit({ type: 'extract-progress', job: { state: 'running', params, progress, modelDownload: null, report: null, error: null } });
    expect(store.job?.progress?.stage).toBe('visual');
    expect(store.canOpen).toBe(false);
    fake.emit({ type: 'extract-progress', job: { state: 'done', params, progress, modelDownload: null, report: report(3), error: null } });
    expect(store.canOpen).toBe(true);
    expect(await store.openResult()).toBe(true);
    expect(fake.calls.find((c) => c.method === 'openDataset')?.params).toMatchObject({ path: '/out' });
  });

  it('cannot open a folder with fewer than three clips (a split would be empty)', async () => {
    const { fake, store } = await setup();
    await store.init();
    fake.emit({ type: 'extract-progress', job: { state: 'done', params: { videos: '/v', out: '/o' }, progress: null, modelDownload: null, report: report(2), error: null } });
    expect(store.canOpen).toBe(false);
  });

  it('cancels through the bridge', async () => {
    const { fake, store } = await setup();
    await store.cancel();
    expect(fake.calls.some((c) => c.method === 'cancelExtract')).toBe(true);
  });
});
