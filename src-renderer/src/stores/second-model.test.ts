import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { setBridge } from '../services/bridge';
import { fakeSecondPredictions } from '../../../testing/renderer/fake-studio';
import { fakeTrainingStudio } from '../../../testing/renderer/fake-training';
import { fixtureEntry } from '../../../testing/renderer/fixture-report';
import { emptyMasks } from './mask-history';
import { useSecondModelStore } from './second-model';
import { useSessionStore } from './session';
import { useWorkbenchStore } from './workbench';

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};
const MISA = '/home/runs/fake/misa-s1111.safetensors';

async function setup() {
  setActivePinia(createPinia());
  const fake = fakeTrainingStudio();
  fake.script.checkpoints = [
    fixtureEntry(MISA, { modelKind: 'misa' }),
    fixtureEntry('/home/runs/fake/open.safetensors', { open: true }),
    fixtureEntry('/home/runs/other/dar.safetensors', { fitsOpenDataset: false }),
    fixtureEntry('/home/runs/fake/running.safetensors', { running: true }),
  ];
  setBridge(fake.api);
  await useSessionStore().init();
  const wb = useWorkbenchStore();
  const second = useSecondModelStore();
  await second.refreshChoices();
  await wb.openClip({ split: 'test', index: 2 });
  await flush();
  return { fake, wb, second, asked: () => fake.calls.filter((c) => c.method === 'explainSecond') };
}

describe('the workbench second model', () => {
  beforeEach(() => setBridge(null));

  it('offers only the checkpoints that fit the open dataset, apart from the open one and a running one', async () => {
    const { second } = await setup();
    expect(second.choices.map((c) => c.path)).toEqual([MISA]);
  });

  it('explains every mask edit with the second model too, beside the open one', async () => {
    const { wb, second, asked } = await setup();
    expect(asked()).toHaveLength(0);
    await second.choose(MISA);
    const label = wb.clip!.label;
    expect(second.answer).toMatchObject({ modelKind: 'misa', complete: { yHat: label / 2 }, masked: { yHat: label / 2 } });
    wb.toggleWhole('a');
    await flush();
    const masks = { ...emptyMasks(), a: { segments: [], whole: true } };
    expect(asked().at(-1)?.params).toEqual({ split: 'test', index: 2, masks, checkpoint: MISA });
    expect(second.answer?.masked.yHat).toBeCloseTo(fakeSecondPredictions(label, masks).masked, 12);
    expect(wb.prediction.masked).toBeCloseTo(label - 1, 12); // the open model's answer is its own
    expect(second.pending).toBe(false);
  });

  it('stops asking once the second model is put away', async () => {
    const { wb, second, asked } = await setup();
    await second.choose(MISA);
    const n = asked().length;
    await second.choose(null);
    wb.toggleWhole('l');
    await flush();
    expect(asked()).toHaveLength(n);
    expect(second.answer).toBeNull();
  });
});
