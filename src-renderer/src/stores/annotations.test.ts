import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setBridge } from '../services/bridge';
import { fakeStudio, type FakeStudio } from '../../../testing/renderer/fake-studio';
import { NOTES_DEBOUNCE_MS, useAnnotationsStore } from './annotations';
import { emptyMasks } from './mask-history';
import { useSessionStore } from './session';
import { useWorkbenchStore } from './workbench';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

async function setup(options: Parameters<typeof fakeStudio>[0] = {}) {
  setActivePinia(createPinia());
  const fake = fakeStudio(options);
  setBridge(fake.api);
  await useSessionStore().init();
  const wb = useWorkbenchStore();
  const ann = useAnnotationsStore();
  await wb.openClip({ split: 'test', index: 2 });
  await flush();
  return { fake, wb, ann };
}

const edits = (fake: FakeStudio) => fake.calls.filter((c) => c.method === 'editAnnotation').map((c) => c.params as { index: number; edit: { kind: string } });

describe('the annotations store', () => {
  beforeEach(() => setBridge(null));
  afterEach(() => vi.useRealTimers());

  it('loads the open clip, saves label and tags, and marks the clip in the library summary', async () => {
    const { ann } = await setup();
    expect(ann.annotation?.clipId).toBe('vid0$_$2');
    expect(await ann.setLabel(-1.5)).toBe(true);
    expect(await ann.addTag('  sarcasm ')).toBe(true);
    expect(ann.annotation).toMatchObject({ label: -1.5, tags: ['sarcasm'] });
    expect(ann.status).toBe('saved');
    expect(ann.summary.get('vid0$_$2')).toMatchObject({ label: -1.5, tags: 1 });
    await ann.removeTag('sarcasm');
    await ann.setLabel(null);
    expect(ann.summary.has('vid0$_$2')).toBe(false);
  });

  it('shows a refused edit as an error and keeps the saved value', async () => {
    const { ann } = await setup();
    await ann.setLabel(1);
    expect(await ann.setLabel(7)).toBe(false);
    expect(ann.status).toBe('error');
    expect(ann.error).toMatch(/Invalid annotation/);
    expect(ann.annotation?.label).toBe(1);
  });

  it('saves notes once typing pauses, not per keystroke', async () => {
    vi.useFakeTimers();
    const { fake, ann } = await setup();
    for (const text of ['g', 'go', 'goo', 'good']) ann.typeNotes(text);
    await flush();
    expect(edits(fake)).toHaveLength(0);
    vi.advanceTimersByTime(NOTES_DEBOUNCE_MS);
    await flush();
    expect(edits(fake).map((e) => e.edit)).toEqual([{ kind: 'setNotes', notes: 'good' }]);
    expect(ann.annotation?.notes).toBe('good');
  });

  it('saves typed notes on blur and, on a clip switch, to the clip they were typed for', async () => {
    const { fake, wb, ann } = await setup();
    ann.typeNotes('first clip');
    ann.flushNotes();
    await flush();
    ann.typeNotes('first clip, more');
    await wb.openClip({ split: 'test', index: 5 });
    await flush();
    expect(edits(fake).map((e) => [e.index, e.edit])).toEqual([
      [2, { kind: 'setNotes', notes: 'first clip' }],
      [2, { kind: 'setNotes', notes: 'first clip, more' }],
    ]);
    expect(ann.annotation?.clipId).toBe('vid0$_$5');
    expect(ann.notesDraft).toBe('');
    expect(ann.summary.get('vid0$_$2')?.hasNotes).toBe(true);
  });

  it('saves the workbench masks as a probe and restores them onto the workbench', async () => {
    const { fake, wb, ann } = await setup();
    const masks = emptyMasks();
    masks.a.segments = [{ start: 1, end: 2 }];
    wb.applyMasks(masks);
    await ann.saveProbe('acoustic gap');
    expect(edits(fake).at(-1)?.edit).toEqual({ kind: 'saveProbe', name: 'acoustic gap', masks });
    wb.clearMasks();
    ann.restoreProbe(ann.annotation!.probes[0]);
    expect(wb.masks).toEqual(masks);
    await ann.deleteProbe('acoustic gap');
    expect(ann.annotation?.probes).toEqual([]);
  });

  it('undoes and redoes the latest edit and reloads the clip it touched', async () => {
    const { ann } = await setup();
    await ann.setLabel(2);
    await ann.setLabel(3);
    expect(ann.history.undo?.kind).toBe('setLabel');
    await ann.undo();
    expect(ann.annotation?.label).toBe(2);
    expect(ann.message).toBe('Undid the label');
    await ann.redo();
    expect(ann.annotation?.label).toBe(3);
    expect(ann.history.redo).toBeNull();
  });
});
