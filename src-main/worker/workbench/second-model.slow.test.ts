import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModalityMask } from '#contract/api';
import { toErrorInfo } from '../../engine/errors';
import { EngineService } from '../engine-service';
import { WorkbenchService } from './workbench-service';
import { WorkbenchState } from './workbench-state';
import { DEMO_DIR, OTHER_DATASET, tinyCheckpoint } from '../../../testing/worker/studio-checkpoints';
import { useTempDir } from '../../../testing/temp-dir';

const none: ModalityMask = { segments: [], whole: false };
const NO_MASKS = { l: none, a: none, v: none };
const WHOLE_L = { ...NO_MASKS, l: { segments: [], whole: true } };
const REF = { split: 'test' as const, index: 3 };

const codeOf = (p: Promise<unknown>): Promise<string> => p.then(() => 'ok', (err: unknown) => toErrorInfo(err).code);

// The other kind is LNLN: MISA's and Self-MM's checkpoints name their dims flat (dimL, seqL...),
// which checkDatasetMatches does not read yet (reported on #14).
describe('the workbench second model (explainSecond)', () => {
  const engine = new EngineService(() => undefined);
  const studio = new WorkbenchService(new WorkbenchState({
    emit: () => undefined,
    ready: () => engine.init({}),
    dataset: (p) => engine.dataset(p),
    shell: { shell: 'browser', version: 'test', mediaUrl: '/media/{split}/{index}', demoDir: DEMO_DIR },
  }));
  const dir = useTempDir('dar-second-');
  let dar = '';
  let lnln = '';
  let other = '';

  beforeAll(async () => {
    dar = await tinyCheckpoint(engine, DEMO_DIR, 'demo', dir);
    other = await tinyCheckpoint(engine, OTHER_DATASET, 'other', dir);
    lnln = join(dir, 'lnln.safetensors');
    const model = { d: 8, tokenLen: 2, heads: 2, dimHead: 4, mlpDim: 8, depth: 1, hyperDepth: 1, discHidden: 4 };
    await engine.train({ data: DEMO_DIR, out: lnln, preset: 'demo', modelKind: 'lnln', model, train: { epochs: 1, batchSize: 32 }, resume: false });
    await studio.openDataset({ path: DEMO_DIR, checkpoint: dar });
  }, 120_000);

  it('answers the same masks as the open model does when it is the same checkpoint', async () => {
    for (const masks of [NO_MASKS, WHOLE_L]) {
      const first = await studio.explain({ ...REF, masks });
      const second = await studio.explainSecond({ ...REF, masks, checkpoint: dar });
      expect(second.modelKind).toBe('dar');
      expect(second.masked.yHat).toBeCloseTo(first.masked.yHat, 5);
      expect(second.complete.yHat).toBeCloseTo(first.complete.yHat, 5);
    }
  });

  it("gives another kind's masked and complete predictions, the complete one unmoved by the mask", async () => {
    const clean = await studio.explainSecond({ ...REF, masks: NO_MASKS, checkpoint: lnln });
    const masked = await studio.explainSecond({ ...REF, masks: WHOLE_L, checkpoint: lnln });
    expect(clean.modelKind).toBe('lnln');
    expect(clean.checkpoint).toBe(lnln);
    expect(Number.isFinite(clean.complete.yHat)).toBe(true);
    expect(clean.masked.yHat).toBeCloseTo(clean.complete.yHat, 6);
    expect(masked.complete.yHat).toBe(clean.complete.yHat);
    expect(masked.masked.yHat).not.toBe(clean.masked.yHat);
    // Replacing the second model frees only its own copy: the open model keeps answering.
    expect((await studio.explain({ ...REF, masks: WHOLE_L })).complete.yHat).toBeTypeOf('number');
  });

  it('refuses a checkpoint of another dataset and a missing path with coded errors', async () => {
    expect(await codeOf(studio.explainSecond({ ...REF, masks: NO_MASKS, checkpoint: other }))).toBe('CHECKPOINT_MISMATCH');
    expect(await codeOf(studio.explainSecond({ ...REF, masks: NO_MASKS }))).toBe('ARG_INVALID');
    expect(await codeOf(studio.explainSecond({ ...REF, masks: NO_MASKS, checkpoint: join(dir, 'none.safetensors') }))).toBe('FILE_NOT_FOUND');
    // The refused one did not replace the held model.
    expect((await studio.explainSecond({ ...REF, masks: NO_MASKS, checkpoint: lnln })).modelKind).toBe('lnln');
  });
});
