import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setBridge } from '../services/bridge';
import { fakeMaskedPrediction, fakeStudio, type FakeStudio } from '../../../testing/renderer/fake-studio';
import { emptyMasks } from './mask-history';
import { useSessionStore } from './session';
import { useWorkbenchStore } from './workbench';

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

async function setup(options: Parameters<typeof fakeStudio>[0] = {}): Promise<{ fake: FakeStudio; wb: ReturnType<typeof useWorkbenchStore> }> {
  setActivePinia(createPinia());
  const fake = fakeStudio(options);
  setBridge(fake.api);
  await useSessionStore().init();
  const wb = useWorkbenchStore();
  return { fake, wb };
}

describe('the workbench store', () => {
  beforeEach(() => setBridge(null));

  it('opens a clip unmasked and shows its masked and complete predictions', async () => {
    const { wb } = await setup();
    await wb.openClip({ split: 'test', index: 3 });
    await flush();
    expect(wb.clip?.index).toBe(3);
    expect(wb.explanation?.masked.yHat).toBe(wb.explanation?.complete.yHat);
    expect(wb.predicting).toBe(false);
  });

  it('re-predicts after a committed edit but not during a drag preview', async () => {
    const { fake, wb } = await setup();
    await wb.openClip({ split: 'test', index: 1 });
    await flush();
    const before = fake.calls.filter((c) => c.method === 'explain').length;
    const m = emptyMasks();
    m.a.segments = [{ start: 1, end: 2 }];
    wb.preview(m);
    await flush();
    expect(fake.calls.filter((c) => c.method === 'explain')).toHaveLength(before);
    expect(wb.masks.a.segments).toHaveLength(1);
    expect(wb.canUndo).toBe(false);
    wb.setSegments('a', [{ start: 1, end: 2 }], { start: 1, end: 2 });
    await flush();
    expect(fake.calls.filter((c) => c.method === 'explain')).toHaveLength(before + 1);
    expect(wb.explanation?.masked.yHat).toBeCloseTo(fakeMaskedPrediction(wb.clip!.label, wb.masks));
    expect(wb.canUndo).toBe(true);
    expect(wb.draft).toBeNull();
  });

  it('shows only the newest answer when edits outpace predictions (latest wins)', async () => {
    const { fake, wb } = await setup({ holdExplain: true });
    await wb.openClip({ split: 'test', index: 2 });
    fake.held.shift()!();
    await flush();
    wb.toggleWhole('l'); // request 1 in flight
    wb.toggleWhole('a'); // queued
    wb.toggleWhole('v'); // supersedes the queued one
    await flush();
    expect(fake.held).toHaveLength(1);
    fake.held.shift()!(); // the answer for "l only" arrives: stale, dropped
    await flush();
    expect(wb.explanation?.masked.yHat).toBe(wb.explanation?.complete.yHat);
    expect(wb.predicting).toBe(true);
    expect(fake.held).toHaveLength(1); // one request for the newest masks, not one per edit
    fake.held.shift()!();
    await flush();
    const label = wb.clip!.label;
    expect(wb.explanation?.masked.yHat).toBeCloseTo(label - 3);
    expect(wb.predicting).toBe(false);
  });

  it('shows the predictions of a preview before the features arrive, and ignores a preview overtaken by an edit', async () => {
    const { fake, wb } = await setup({ holdExplain: true, previewExplain: true });
    await wb.openClip({ split: 'test', index: 2 });
    fake.held.shift()!();
    fake.previews.shift();
    await flush();
    const unmasked = wb.explanation;
    wb.toggleWhole('a');
    await flush();
    fake.previews.shift()!();
    // the numbers are the new ones; the explanation (features) is still the previous one, and it says so
    expect(wb.prediction.masked).toBeCloseTo(fakeMaskedPrediction(wb.clip!.label, wb.masks));
    expect(wb.prediction.complete).toBe(unmasked?.complete.yHat);
    expect(wb.prediction.version).toBe(wb.wantedVersion);
    expect(wb.explanation).toBe(unmasked);
    expect(wb.predicting).toBe(true);
    fake.held.shift()!();
    await flush();
    expect(wb.explanation).not.toBe(unmasked);
    expect(wb.prediction).toMatchObject({ version: wb.shownVersion, masked: wb.explanation?.masked.yHat });
    expect(wb.predicting).toBe(false);
    // an edit after the request went out: its late preview is not shown
    wb.toggleWhole('v'); // asks
    await flush();
    const shown = wb.prediction.masked;
    wb.toggleWhole('l'); // wanted moves on while the first is in flight
    fake.previews.shift()!();
    expect(wb.prediction.masked).toBe(shown);
  });

  it('undo restores the previous masks and prediction, redo reapplies', async () => {
    const { wb } = await setup();
    await wb.openClip({ split: 'test', index: 5 });
    await flush();
    wb.setSegments('v', [{ start: 0, end: 2 }]);
    await flush();
    const first = wb.explanation!.masked.yHat;
    wb.toggleWhole('l');
    await flush();
    expect(wb.explanation!.masked.yHat).not.toBe(first);
    wb.undo();
    await flush();
    expect(wb.masks.l.whole).toBe(false);
    expect(wb.explanation!.masked.yHat).toBe(first);
    wb.redo();
    await flush();
    expect(wb.masks.l.whole).toBe(true);
  });

  it('shows the answer for masks explained before (undo, redo, clear) without asking the host, until the model changes', async () => {
    const { fake, wb } = await setup();
    const explains = (): number => fake.calls.filter((c) => c.method === 'explain').length;
    await wb.openClip({ split: 'test', index: 5 });
    await flush();
    const clean = wb.explanation!;
    wb.setSegments('v', [{ start: 0, end: 2 }]);
    await flush();
    const masked = wb.explanation!;
    const asked = explains();
    wb.undo();
    expect(wb.explanation).toBe(clean); // at once: no await, no call
    expect(wb.predicting).toBe(false);
    wb.redo();
    expect(wb.explanation).toBe(masked);
    wb.clearMasks();
    expect(wb.explanation).toBe(clean);
    expect(explains()).toBe(asked);
    // many edits later, "clear" still returns to the kept no-mask answer
    for (let i = 0; i < 12; i++) {
      wb.setSegments('a', [{ start: i * 0.1, end: i * 0.1 + 0.05 }]);
      await flush();
    }
    const beforeClear = explains();
    wb.clearMasks();
    expect(wb.explanation).toBe(clean);
    expect(explains()).toBe(beforeClear);
    wb.undo(); // back to the last segment: kept too
    const last = wb.explanation;
    expect(explains()).toBe(beforeClear);
    // another model: masks explained before are asked again
    const session = useSessionStore();
    session.overview = { ...session.overview! };
    await flush();
    wb.redo();
    wb.undo();
    await flush();
    expect(explains()).toBe(beforeClear + 2);
    expect(wb.explanation).not.toBe(last);
    expect(wb.explanation!.masked.yHat).toBe(last!.masked.yHat);
  });

  it('deletes the selected segment, clears, and draws a random mask at the rate', async () => {
    const { fake, wb } = await setup();
    await wb.openClip({ split: 'test', index: 0 });
    wb.setSegments('a', [{ start: 2, end: 3 }, { start: 0, end: 1 }], { start: 2, end: 3 });
    expect(wb.selection).toEqual({ modality: 'a', index: 1 });
    wb.deleteSelected();
    expect(wb.masks.a.segments).toEqual([{ start: 0, end: 1 }]);
    wb.rate = 0.5;
    await wb.randomMask();
    expect(fake.calls.find((c) => c.method === 'randomMask')?.params).toMatchObject({ rate: 0.5, split: 'test', index: 0 });
    expect(wb.masks.l.segments).toEqual([{ start: 0, end: 2 }]);
    wb.clearMasks();
    expect(wb.masks.a.segments).toEqual([]);
  });

  it('does not ask for predictions without a model', async () => {
    const { fake, wb } = await setup({ withModel: false });
    await wb.openClip({ split: 'test', index: 0 });
    wb.toggleWhole('a');
    await flush();
    expect(fake.calls.some((c) => c.method === 'explain')).toBe(false);
    expect(wb.predicting).toBe(false);
  });
});
