import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setBridge } from '../services/bridge';
import { fakeStudio } from '../../../testing/renderer/fake-studio';
import { useSessionStore } from './session';

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
});
