import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setBridge } from '../services/bridge';
import { fakeStudio, type FakeStudio } from '../../../testing/renderer/fake-studio';
import { PAGE_SIZE, useLibraryStore } from './library';

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

function setup(clips: number): { fake: FakeStudio; lib: ReturnType<typeof useLibraryStore> } {
  setActivePinia(createPinia());
  const fake = fakeStudio({ clips });
  setBridge(fake.api);
  return { fake, lib: useLibraryStore() };
}

describe('the library store', () => {
  beforeEach(() => setBridge(null));

  it('loads only the pages a 22k-clip list scrolls to', async () => {
    const { fake, lib } = setup(22_000);
    await lib.reload();
    expect(lib.total).toBe(22_000);
    lib.ensureRange(15_000, 15_020);
    lib.ensureRange(15_000, 15_020); // already loading: no second request
    await flush();
    const offsets = fake.calls.filter((c) => c.method === 'listClips').map((c) => (c.params as { offset: number }).offset);
    expect(offsets).toEqual([0, 15_000]);
    expect(lib.rowAt(15_007)?.index).toBe(15_007);
    expect(lib.rowAt(5_000)).toBeUndefined();
    expect(PAGE_SIZE).toBeLessThan(1000);
  });

  it('searches transcripts and ids and sorts, starting over from the top', async () => {
    const { lib } = setup(300);
    await lib.setQuery({ search: 'number 12', sort: 'label', descending: true });
    expect(lib.total).toBeGreaterThan(0);
    const rows = Array.from({ length: lib.total }, (_, i) => lib.rowAt(i)!);
    expect(rows.every((r) => r.text.includes('number 12'))).toBe(true);
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].label).toBeGreaterThanOrEqual(rows[i].label);
  });

  it('drops pages of an old query that arrive after a new one', async () => {
    const { lib } = setup(300);
    const old = lib.setQuery({ search: 'good' });
    await lib.setQuery({ search: 'bad' });
    await old;
    expect(lib.rowAt(0)?.text).toContain('bad');
  });
});

describe('the library and the host predictions', () => {
  it('refetches loaded rows as soon as the host says every prediction is in', async () => {
    const { fake, lib } = setup(300);
    await lib.reload();
    const before = fake.calls.filter((c) => c.method === 'listClips').length;
    fake.emit({ type: 'predict-progress', done: 100, total: 300 });
    expect(lib.predictProgress).toEqual({ done: 100, total: 300 });
    fake.emit({ type: 'predict-progress', done: 300, total: 300 });
    await flush();
    expect(lib.predictProgress).toBeNull();
    expect(fake.calls.filter((c) => c.method === 'listClips').length).toBe(before + 1);
  });
});
