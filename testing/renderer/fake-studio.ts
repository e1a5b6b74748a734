/**
 * A fake StudioApi for unit tests (the electron/fiddle habit: swap one bridge object). It holds
 * `n` synthetic clips, answers like the real host, and can hold `explain` answers back so tests
 * decide the order responses arrive in.
 */
import type { ClipDetail, ClipPage, ClipQuery, ClipRow, DatasetOverview, ModalityMask, StudioApi } from '#contract/api';
import type { PerModality } from '#contract/dataset';
import type { ClipExplanation, ModalityExplanation } from '#contract/explain';
import type { StudioTrainingMethods } from '#contract/training-methods';
import type { EngineEvent } from '#contract/worker-protocol';
import type { ErrorInfo, Result } from '#contract/errors';
import { fakeAnnotations } from './fake-annotations';
import { fakeExtract } from './fake-extract';
import { fakeMedia, type FakeMediaOptions } from './fake-media';
import { MODALITIES } from '#contract/dataset';

const TRAINING_METHODS = [
  'trainingDefaults', 'startTraining', 'stopTraining', 'resumeTraining', 'trainingStatus', 'listCheckpoints', 'openCheckpoint',
  'runRobustness', 'exportRobustness', 'queueExperiments', 'listJobs', 'cancelJob', 'resumeJobs', 'featureProjection',
] as const satisfies readonly (keyof StudioTrainingMethods)[];

function ok<T>(value: T): Promise<Result<T>> {
  return Promise.resolve({ ok: true, value });
}

/** The fake's rows: clip i has label sin(i)*3 and prediction label*0.8. */
export function fakeRows(n: number): ClipRow[] {
  return Array.from({ length: n }, (_, i) => {
    const label = Math.round(Math.sin(i) * 300) / 100;
    return { split: 'test', index: i, id: `vid${Math.floor(i / 10)}$_$${i % 10}`, text: `clip number ${i} says ${i % 2 ? 'good' : 'bad'} things`, label, prediction: label * 0.8, hasVideo: i % 5 === 0, duration: 4 };
  });
}

function sortRows(rows: ClipRow[], q: ClipQuery): ClipRow[] {
  const key = (r: ClipRow): number =>
    q.sort === 'label' ? r.label : q.sort === 'prediction' ? (r.prediction ?? 0) : q.sort === 'error' ? Math.abs((r.prediction ?? 0) - r.label) : r.index;
  const sorted = [...rows].sort((a, b) => key(a) - key(b));
  return q.descending ? sorted.reverse() : sorted;
}

function modality(t: number, d: number, masked: number): ModalityExplanation {
  const mat = (): Float32Array => Float32Array.from({ length: t * d }, (_, i) => Math.sin(i) * (1 + masked));
  const vec = (): Float32Array => new Float32Array(t).fill(masked);
  return {
    U1: mat(), U1t: mat(), Hcom: mat(), Hcom_t: mat(), Hhat_com: mat(), Hspec: mat(), Hspec_t: mat(), Hhat_spec: mat(), Uhat1: mat(),
    gate_com: mat(), gate_spec: mat(), reconError: vec(), reconErrorCom: vec(), reconErrorSpec: vec(), maskedFraction: vec(), binsTouched: new Uint8Array(t).fill(masked > 0 ? 1 : 0),
  };
}

/** The masked prediction the fake returns: label minus 0.5 per masked second or whole modality. */
export function fakeMaskedPrediction(label: number, masks: PerModality<ModalityMask>): number {
  let cost = 0;
  for (const m of MODALITIES) cost += masks[m].whole ? 1 : masks[m].segments.reduce((s, x) => s + (x.end - x.start), 0) * 0.5;
  return label - cost;
}

/** The fake second model: half the label, and it loses a quarter of what the open model loses. */
export function fakeSecondPredictions(label: number, masks: PerModality<ModalityMask>): { masked: number; complete: number } {
  return { masked: label / 2 - (label - fakeMaskedPrediction(label, masks)) / 4, complete: label / 2 };
}

/** Options of the fake. */
export interface FakeStudioOptions {
  clips?: number;
  /** When true, explain answers wait until the test delivers them (FakeStudio.held). */
  holdExplain?: boolean;
  /** With holdExplain: explain's previews wait too (FakeStudio.previews), as the browser host sends them ahead of the answer. */
  previewExplain?: boolean;
  withModel?: boolean;
  /** Makes getOverview fail with this error. */
  overviewError?: ErrorInfo;
  /** ffmpeg missing, playback states (fake-media.ts). */
  media?: FakeMediaOptions;
}

/** The fake and its handles for the test. */
export interface FakeStudio {
  api: StudioApi;
  calls: { method: string; params: unknown }[];
  /** Held explain answers, oldest first; call one to deliver it. */
  held: (() => void)[];
  /** Held explain previews (previewExplain), oldest first; call one to deliver it. */
  previews: (() => void)[];
  /** Sends an engine event to the subscribed listeners. */
  emit: (event: EngineEvent) => void;
}

/** Builds a fake StudioApi. */
export function fakeStudio(options: FakeStudioOptions = {}): FakeStudio {
  const rows = fakeRows(options.clips ?? 240);
  const calls: { method: string; params: unknown }[] = [];
  const held: (() => void)[] = [];
  const previews: (() => void)[] = [];
  const listeners = new Set<(event: EngineEvent) => void>();
  const log = (method: string, params: unknown): void => void calls.push({ method, params });
  const overview: DatasetOverview = {
    name: 'fake', path: '/fake', format: 'clip-folder', synthetic: true, description: 'fake data', warnings: [],
    counts: { train: 0, valid: 0, test: rows.length }, dims: { l: 8, a: 4, v: 4 }, seqLen: { l: 10, a: 20, v: 20 },
    checkpoint: options.withModel === false ? null : { path: '/m', name: 'm', trainedOn: 'fake', synthetic: true, model: 'dar', d: 4, t: 4, selectedEpoch: 1 },
  };
  // The training/experiment methods are not part of what these tests exercise.
  const notInFake = Object.fromEntries(
    TRAINING_METHODS.map((m) => [m, () => Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: `${m} is not in the fake` } })]),
  ) as unknown as Pick<StudioApi, keyof StudioTrainingMethods>;
  const api: StudioApi = {
    ...notInFake,
    ...fakeAnnotations((i) => rows[i].id, log, options.withModel !== false),
    ...fakeMedia((i) => rows[i]?.hasVideo ?? false, log, options.media),
    ...fakeExtract(log),
    getAppInfo: (p) => (log('getAppInfo', p), ok({ name: 'DAR Studio', version: '0', shell: 'browser', backend: { name: 'cpu', tfBackend: 'cpu', label: 'CPU', skipped: [] } })),
    openDataset: (p) => (log('openDataset', p), ok(overview)),
    getOverview: (p) => {
      log('getOverview', p);
      return options.overviewError ? Promise.resolve({ ok: false, error: options.overviewError }) : ok(overview);
    },
    listClips: (q) => {
      log('listClips', q);
      const s = q.search?.toLowerCase();
      const hits = sortRows(s ? rows.filter((r) => r.text.includes(s) || r.id.includes(s)) : rows, q);
      const page: ClipPage = { total: hits.length, rows: hits.slice(q.offset, q.offset + q.limit), predicting: false };
      return ok(page);
    },
    getClip: (ref) => {
      log('getClip', ref);
      const row = rows[ref.index];
      const frames = { count: 4, spans: Float32Array.from([0, 1, 1, 2, 2, 3, 3, 4]), intensity: Float32Array.from([0.1, 0.5, 1, 0.3]) };
      const detail: ClipDetail = { ...row, duration: 4, videoUrl: null, tokens: ['[CLS]', 'a', 'b', '[SEP]'], frames: { l: frames, a: frames, v: frames } };
      return ok(detail);
    },
    explain: (p, o) => {
      log('explain', p);
      const row = rows[p.index];
      const masked = MODALITIES.some((m) => p.masks[m].whole || p.masks[m].segments.length > 0) ? 1 : 0;
      const branch = (y: number, k: number) => ({ yHat: y, modalities: { l: modality(4, 4, k), a: modality(4, 4, k), v: modality(4, 4, k) } });
      const value: ClipExplanation = { id: row.id, label: row.label, t: 4, d: 4, masked: branch(fakeMaskedPrediction(row.label, p.masks), masked), complete: branch(row.label, 0) };
      if (!options.holdExplain) return ok(value);
      if (options.previewExplain) previews.push(() => o?.onPreview?.({ masked: value.masked.yHat, complete: value.complete.yHat }));
      return new Promise((resolve) => held.push(() => resolve({ ok: true, value })));
    },
    explainSecond: (p) => {
      log('explainSecond', p);
      const y = fakeSecondPredictions(rows[p.index].label, p.masks);
      // The kind is read off the file name (the fake has no checkpoints to open).
      const modelKind = (['misa', 'self-mm', 'lnln'] as const).find((k) => p.checkpoint.includes(k)) ?? 'dar';
      return ok({ checkpoint: p.checkpoint, modelKind, masked: { yHat: y.masked }, complete: { yHat: y.complete } });
    },
    randomMask: (p) => {
      log('randomMask', p);
      const seg = [{ start: 0, end: 4 * p.rate }];
      return ok({ l: { segments: seg, whole: false }, a: { segments: seg, whole: false }, v: { segments: [], whole: false } });
    },
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { api, calls, held, previews, emit: (event) => listeners.forEach((l) => l(event)) };
}
