import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setBridge } from '../services/bridge';
import { fakeStudio } from '../../../testing/renderer/fake-studio';
import { fakeRun, fakeTrainingStudio } from '../../../testing/renderer/fake-training';
import { RUN_END_SHOWN_MS, useSessionStore } from './session';
import type { TrainProgress } from '#contract/train';

const STEP: TrainProgress = { kind: 'step', epoch: 0, epochs: 1, step: 1, steps: 5, elapsedMs: 10, etaMs: 100 };

describe('the session store', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    setBridge(null);
  });

  it('loads the shell, backend and open dataset', async () => {
    setBridge(fakeStudio().api);
    const s = useSessionStore();
    await s.init();
    expect(s.backendLabel).toBe('CPU');
    expect(s.overview?.synthetic).toBe(true);
    expect(s.hasModel).toBe(true);
    expect(s.error).toBeNull();
  });

  it('knows when no model is open', async () => {
    setBridge(fakeStudio({ withModel: false }).api);
    const s = useSessionStore();
    await s.init();
    expect(s.hasModel).toBe(false);
  });

  it('turns a failed call into words', async () => {
    setBridge(fakeStudio({ overviewError: { code: 'FORMAT_UNKNOWN', message: '/x: not a dataset' } }).api);
    const s = useSessionStore();
    await s.init();
    expect(s.error).toBe('Unknown dataset format: /x: not a dataset');
    expect(s.appInfo).not.toBeNull();
  });

  it('follows training progress from engine events', async () => {
    const fake = fakeStudio();
    setBridge(fake.api);
    const s = useSessionStore();
    await s.init();
    fake.emit({ type: 'train-progress', progress: { kind: 'step', epoch: 2, epochs: 30, step: 3, steps: 5, elapsedMs: 10, etaMs: 100 } });
    fake.emit({ type: 'log', level: 'info', message: 'saved' });
    expect(s.training?.epoch).toBe(2);
    expect(s.lastLog).toBe('saved');
  });

  it('shows a run that was going before the page loaded, without waiting for its next step', async () => {
    const fake = fakeTrainingStudio();
    fake.script.status = { active: true, run: { ...fakeRun('running'), progress: STEP } };
    setBridge(fake.api);
    const s = useSessionStore();
    await s.init();
    expect(s.trainState).toBe('running');
    expect(s.training).toEqual(STEP);
  });

  it('shows nothing after load when no run holds the engine', async () => {
    const fake = fakeTrainingStudio();
    fake.script.status = { active: false, run: { ...fakeRun('finished'), progress: STEP } };
    setBridge(fake.api);
    const s = useSessionStore();
    await s.init();
    expect(s.trainState).toBeNull();
    expect(s.training).toBeNull();
  });

  describe('when a run ends', () => {
    afterEach(() => vi.useRealTimers());

    async function started(): Promise<{ fake: ReturnType<typeof fakeStudio>; s: ReturnType<typeof useSessionStore> }> {
      vi.useFakeTimers();
      const fake = fakeStudio();
      setBridge(fake.api);
      const s = useSessionStore();
      await s.init();
      return { fake, s };
    }

    it('forgets the last step once an experiment job is cancelled mid-run, says so, then shows nothing', async () => {
      const { fake, s } = await started();
      fake.emit({ type: 'train-state', checkpoint: '/runs/a', state: 'running', jobId: 'j1' });
      fake.emit({ type: 'train-progress', progress: STEP });
      expect(s.training?.step).toBe(1);
      expect(s.trainState).toBe('running');
      fake.emit({ type: 'train-state', checkpoint: '/runs/a', state: 'stopped', jobId: 'j1' });
      expect(s.training).toBeNull();
      expect(s.trainState).toBe('stopped');
      vi.advanceTimersByTime(RUN_END_SHOWN_MS);
      expect(s.trainState).toBeNull();
    });

    it('keeps the step while stopping, and a new run starts without the old run’s step', async () => {
      const { fake, s } = await started();
      fake.emit({ type: 'train-progress', progress: STEP });
      expect(s.trainState).toBe('running');
      fake.emit({ type: 'train-state', checkpoint: '/runs/a', state: 'stopping', jobId: null });
      expect(s.training?.step).toBe(1);
      fake.emit({ type: 'train-state', checkpoint: '/runs/a', state: 'finished', jobId: null });
      fake.emit({ type: 'train-state', checkpoint: '/runs/b', state: 'running', jobId: null });
      expect(s.training).toBeNull();
      vi.advanceTimersByTime(RUN_END_SHOWN_MS);
      expect(s.trainState).toBe('running');
    });
  });
});
