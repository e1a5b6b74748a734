import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '#contract/worker-protocol';
import type { RobustnessReport } from '#contract/eval';
import { decodeMessage, encodeMessage } from '#contract/wire-codec';
import { toErrorInfo } from '../../engine/errors';
import { robustnessCsv, robustnessMarkdown } from '../../engine/eval/report-export';
import { besideCheckpoint } from '../studio-home';
import { TINY_MODEL, TINY_TRAIN, makeWorld, tinyCorpus, waitForEvent } from '../../../testing/worker/training-world';
import type { World } from '../../../testing/worker/training-world';
import { useTempDir } from '../../../testing/temp-dir';

type TrainState = Extract<EngineEvent, { type: 'train-state' }>;
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

async function failure(p: Promise<unknown> | (() => unknown)): Promise<{ code: string; message: string }> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return toErrorInfo(err);
  }
  return { code: 'ok', message: '' };
}

/** Fails fast instead of timing out when a run ends in a state the test does not expect. */
const anyEnd = (checkpoint: string) => (e: EngineEvent): e is TrainState => e.type === 'train-state' && e.checkpoint === checkpoint && ['stopped', 'finished', 'failed'].includes(e.state);

describe('training from the studio', () => {
  let corpus = '';
  const home = useTempDir('dar-studio-home-');
  const data = useTempDir('dar-train-corpus-');
  let w: World;
  let ckpt = '';

  beforeAll(async () => {
    corpus = await tinyCorpus(data);
    w = makeWorld(corpus, home);
  }, 60_000);

  it('refuses bad hyperparameters with ARG_INVALID naming the field, and keeps the engine free', async () => {
    const t = w.services.training;
    const cases: [unknown, RegExp][] = [
      [{ model: { d: 15 } }, /^d must be a positive even integer, got 15/],
      [{ model: { d: '16' } }, /^model\.d: expected a finite number/],
      [{ train: { k: { l: 2 } } }, /^k_l must be in \[0, 1\], got 2/],
      [{ train: { batch: 8 } }, /^train\.batch: expected one of the known fields/],
      [{ train: { ablations: ['no_club'] } }, /^train\.ablations\[0\]: expected no_sim/],
      [{ preset: 'imdb' }, /^preset: expected mosi \| mosei \| demo/],
      [{ out: '/tmp/x.bin' }, /^out: expected a path ending in \.safetensors/],
    ];
    for (const [params, message] of cases) {
      const err = await failure(t.startTraining(params));
      expect(err.code).toBe('ARG_INVALID');
      expect(err.message).toMatch(message);
    }
    expect(t.trainingStatus({}).active).toBe(false);
  });

  it('trains the open dataset into the per-dataset runs folder, refuses a second run, and stops on request', async () => {
    const status = await w.services.training.startTraining({ preset: 'demo', model: TINY_MODEL, train: { ...TINY_TRAIN, epochs: 2 } });
    ckpt = status.run!.checkpoint;
    expect(ckpt).toMatch(new RegExp(`^${home}/runs/DAR_demo_corpus_synthetic/\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d-demo\\.safetensors$`));
    expect(status).toMatchObject({ active: true, run: { state: 'running', preset: 'demo', model: { d: 16, t: 8 }, train: { epochs: 2, batchSize: 8, mode: 'fixed' } } });
    expect((await failure(w.services.training.startTraining({}))).message).toMatch(/already going/);
    // Stop as the first epoch ends, before the second one's first step.
    let answer: unknown = null;
    const stopAfterEpoch = (e: EngineEvent): void => {
      if (e.type !== 'train-progress' || e.progress.kind !== 'epoch' || answer) return;
      answer = w.services.training.stopTraining({});
    };
    w.listeners.add(stopAfterEpoch);
    expect((await waitForEvent(w.events, anyEnd(ckpt))).state).toBe('stopped');
    w.listeners.delete(stopAfterEpoch);
    expect(answer).toEqual({ stopping: true });
    expect(w.events.some((e) => e.type === 'train-state' && e.state === 'stopping')).toBe(true);
    const after = w.services.training.trainingStatus({});
    expect(after.active).toBe(false);
    expect(after.run).toMatchObject({ state: 'stopped', selectedEpoch: 0, resumedFrom: null, error: null });
    expect(after.run!.history).toHaveLength(1);
    expect(after.run!.steps.x.length).toBeGreaterThanOrEqual(2);
    expect(after.run!.steps.terms.total).toBeInstanceOf(Float32Array);
    expect(Array.from(after.run!.steps.x.slice(0, 2))).toEqual([0.5, 1]);
    expect((decodeMessage(encodeMessage({ event: { after } })) as { event: { after: typeof after } }).event.after.run!.steps.terms.sel).toEqual(after.run!.steps.terms.sel);
  }, 30_000);

  it('lists the stopped run with its config, scores and history as resumable', async () => {
    const list = await w.services.catalog.listCheckpoints({});
    const entry = list.checkpoints.find((c) => c.path === ckpt)!;
    expect(entry).toMatchObject({ source: 'run', preset: 'demo', selectedEpoch: 0, resumable: { epoch: 1, epochs: 2 }, running: false, fitsOpenDataset: true, open: false, robustness: null });
    expect(entry.dataset).toEqual({ name: 'DAR demo corpus (synthetic)', synthetic: true, path: corpus });
    expect(entry.history).toHaveLength(1);
    expect(entry.selected!.valid.sel).toBe(entry.history[0].valid.sel);
    expect(entry.selected!.metrics.MAE).toBeGreaterThan(0);
    expect(list.unreadable).toEqual([]);
  });

  it('resumes the run after a restart (a new worker) from its sidecar, and finishes it', async () => {
    w = makeWorld(corpus, home);
    expect((await w.services.catalog.listCheckpoints({})).checkpoints.find((c) => c.path === ckpt)?.resumable).toEqual({ epoch: 1, epochs: 2 });
    const status = await w.services.training.resumeTraining({ checkpoint: ckpt });
    expect(status.run).toMatchObject({ state: 'running', resumedFrom: 1, checkpoint: ckpt });
    expect(status.run!.history).toHaveLength(1);
    expect((await waitForEvent(w.events, anyEnd(ckpt))).state).toBe('finished');
    const run = w.services.training.trainingStatus({}).run!;
    expect(run.history.map((r) => r.epoch)).toEqual([0, 1]);
    expect(run.summary).toMatchObject({ epochsRun: 2, resumedFrom: 1, cancelled: false });
    const entry = (await w.services.catalog.listCheckpoints({})).checkpoints.find((c) => c.path === ckpt)!;
    expect(entry.resumable).toBeNull();
    expect(entry.history).toHaveLength(2);
    expect((await failure(w.services.training.resumeTraining({ checkpoint: ckpt }))).code).toBe('FILE_NOT_FOUND');
  }, 30_000);

  it('runs the robustness sweep exactly as `dar eval` does, saves it beside the checkpoint and exports it', async () => {
    const from = w.events.length;
    const record = await w.services.robustness.runRobustness({ checkpoints: [ckpt] });
    expect(record).toMatchObject({ format: 'dar-robustness/1', checkpoints: [ckpt], dataset: corpus, split: 'test', seeds: [1111] });
    expect(w.events.slice(from).filter((e) => e.type === 'eval-progress').at(-1)).toEqual({ type: 'eval-progress', done: 14, total: 14, checkpoint: ckpt });
    expect(existsSync(besideCheckpoint(ckpt, 'robustness'))).toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/dar.mjs', 'eval', '--checkpoint', ckpt, '--data', corpus, '--json'], { cwd: REPO });
    expect(record.report).toEqual(JSON.parse(stdout) as RobustnessReport);
    const csv = await w.services.robustness.exportRobustness({ checkpoint: ckpt, format: 'csv' });
    expect(csv).toEqual({ text: robustnessCsv(record.report), fileName: expect.stringMatching(/-demo\.robustness\.csv$/), mimeType: 'text/csv' });
    const md = await w.services.robustness.exportRobustness({ report: record.report, format: 'md' });
    expect(md.text).toBe(robustnessMarkdown(record.report));
    const entry = (await w.services.catalog.listCheckpoints({})).checkpoints.find((c) => c.path === ckpt)!;
    expect(entry.robustness?.report).toEqual(record.report);
  }, 30_000);

  it('opens the checkpoint in the workbench and maps its features in 2-D with decoupling scores', async () => {
    expect((await failure(w.services.projection.featureProjection({ split: 'test', method: 'pca', features: 'both' }))).code).toBe('NO_CHECKPOINT');
    const overview = await w.services.catalog.openCheckpoint({ path: ckpt });
    expect(overview.checkpoint?.path).toBe(ckpt);
    const p = await w.services.projection.featureProjection({ split: 'test', method: 'pca', features: 'both' });
    expect(p.x).toBeInstanceOf(Float32Array);
    expect(p.x).toHaveLength(2 * 3 * 8);
    expect(Array.from(p.kind.slice(0, 24)).every((k) => k === 0) && Array.from(p.kind.slice(24)).every((k) => k === 1)).toBe(true);
    expect(Array.from(p.modality.slice(0, 9))).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(p.clips)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(p.clip[9]).toBe(1);
    expect(p.explained![0]).toBeGreaterThanOrEqual(p.explained![1]);
    expect(p.scores.clips).toBe(8);
    expect(typeof p.scores.specificByModality).toBe('number');
    // The browser host sends it as one binary frame: typed arrays come back as typed arrays.
    const wire = decodeMessage(encodeMessage({ id: 1, result: { ok: true, value: p } })) as { result: { value: typeof p } };
    expect(wire.result.value.clip).toBeInstanceOf(Int32Array);
    expect(wire.result.value).toEqual(p);
    const again = await w.services.projection.featureProjection({ split: 'test', method: 'pca', features: 'both' });
    expect(again.x).toEqual(p.x);
    const u = await w.services.projection.featureProjection({ checkpoint: ckpt, split: 'valid', method: 'umap', features: 'specific', maxClips: 5 });
    expect(u.x).toHaveLength(15);
    expect(u.explained).toBeNull();
    const tooMany = await failure(w.services.projection.featureProjection({ split: 'test', method: 'umap', features: 'both', maxClips: 1001 }));
    expect(tooMany).toMatchObject({ code: 'ARG_INVALID', message: expect.stringMatching(/^maxClips: UMAP maps at most 6000 points/) });
    expect((await w.services.catalog.listCheckpoints({})).checkpoints.find((c) => c.path === ckpt)?.open).toBe(true);
  }, 30_000);
});
