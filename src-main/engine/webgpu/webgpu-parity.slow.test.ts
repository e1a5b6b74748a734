import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { PerModality } from '#contract/dataset';
import type { ClipExplanation } from '#contract/explain';
import { initBackend } from '../backend';
import { trainingMasks } from '../data/corruption';
import { applyNormaliser, fitNormaliser } from '../data/normaliser';
import { explainClip } from '../infer/explain';
import { clubLoss, computeLosses } from '../losses';
import { DarModel } from '../model/dar-model';
import { disposeInputs, toModelInputs } from '../model/inputs/inputs';
import type { WeightData } from '../model/params';
import { buildBatch } from '../train/batcher';
import { modelConfigFor } from '../train/config';
import { createAdam, createAdamW } from '../train/optimizer';
import { MAIN_TERMS, tfNameIndex, trainStep } from '../train/steps';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { relativeDiff, webgpuUnavailable } from '../../../testing/engine/webgpu-available';
import { releaseWebGpu } from './webgpu-rung';

// The webgpu rung must compute what WebAssembly computes: one full DAR step (every loss term,
// every parameter's gradient, the weights after AdamW) and explain's every output, to 1e-4
// relative. Here it runs on the software adapter (Mesa llvmpipe through Dawn's OpenGL ES).
const unavailable = await webgpuUnavailable();
if (unavailable) console.warn(`webgpu parity tests skipped: ${unavailable}`);

const TOLERANCE = 1e-4;
const LR = 1e-3;
const maxAbs = (v: ArrayLike<number>): number => Math.max(...Array.from(v, Math.abs));
const ds = tinyDataset({ n: { train: 8, valid: 4, test: 4 }, dims: { l: 12, a: 5, v: 6 }, seqLen: { l: 9, a: 14, v: 16 }, seed: 2 });
const config = modelConfigFor(ds, { d: 16, t: 4, heads: 2 });
const weights = await new DarModel(config, 3).params.exportWeights();

interface StepOutcome {
  terms: Record<string, number>;
  /** The global gradient norm the step clipped by (a sum over every parameter: AddN of ~400 inputs). */
  gradNorm: number;
  grads: Map<string, Float32Array>;
  after: Map<string, WeightData>;
}

async function readGrads(grads: tf.NamedTensorMap, vars: Map<string, tf.Variable>, into: Map<string, Float32Array>): Promise<void> {
  const index = tfNameIndex(vars);
  for (const [k, g] of Object.entries(grads)) into.set(index.get(k)!, await g.data<'float32'>());
  tf.dispose(Object.values(grads));
}

/** Every gradient of one batch (L_total for the main parameters, L_club for CLUB's), then one real trainStep. */
async function stepOn(backend: 'wasm' | 'webgpu'): Promise<StepOutcome> {
  await initBackend({ prefer: backend });
  const model = new DarModel(config, 1);
  model.params.importWeights(weights);
  const main = createAdamW(model.params.group('main'), LR, 1e-4);
  const club = createAdam(model.params.group('club'), LR);
  const batch = buildBatch(ds.splits.train, [0, 1, 2, 3, 4, 5, 6, 7], trainingMasks(ds.splits.train, { k: { l: 0.3, a: 0.3, v: 0.3 }, mode: 'fixed' }, 1, 0));
  const inputs = toModelInputs(batch, config);
  const labels = tf.tensor1d(batch.labels!);
  try {
    const grads = new Map<string, Float32Array>();
    const mainVars = model.params.group('main');
    const g = tf.variableGrads(() => computeLosses(model.forward(inputs, { training: true, seed: 7, club: true }), labels, config, []).terms.total, [...mainVars.values()]);
    g.value.dispose();
    await readGrads(g.grads, mainVars, grads);
    const clubVars = model.params.group('club');
    const c = tf.variableGrads(() => {
      const enc = model.encode(inputs, { training: true, seed: 7 });
      const est = model.clubAll({ l: enc.l.Hspec_t, a: enc.a.Hspec_t, v: enc.v.Hspec_t });
      return clubLoss({ l: enc.l.Hcom_t, a: enc.a.Hcom_t, v: enc.v.Hcom_t } as PerModality<tf.Tensor3D>, est);
    }, [...clubVars.values()]);
    c.value.dispose();
    await readGrads(c.grads, clubVars, grads);
    const { terms, gradNorm } = await trainStep({ model, config, ablations: [], useClub: true, main, club, clipNorm: 2 }, inputs, labels, 7, LR, LR);
    return { terms: { ...terms }, gradNorm, grads, after: await model.params.exportWeights() };
  } finally {
    labels.dispose();
    disposeInputs(inputs);
    main.dispose();
    club.dispose();
    model.dispose();
  }
}

async function explainOn(backend: 'wasm' | 'webgpu'): Promise<ClipExplanation> {
  await initBackend({ prefer: backend });
  const model = new DarModel(config, 1);
  model.params.importWeights(weights);
  const split = applyNormaliser(ds.splits.test, fitNormaliser(ds.splits.train));
  const masks = { l: new Uint8Array(9).fill(1, 2, 6), a: new Uint8Array(14), v: new Uint8Array(16).fill(1, 0, 16) };
  try {
    return await explainClip(model, split, 1, masks);
  } finally {
    model.dispose();
  }
}

/** Name -> relative difference, worst first, for the failure message and the log. */
function worst(diffs: [string, number][]): [string, number][] {
  return diffs.sort((a, b) => b[1] - a[1]);
}

describe.skipIf(unavailable !== null)('webgpu rung parity with WebAssembly', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
    releaseWebGpu();
  });

  it('agrees on one full training step: every loss term, every gradient, the weights after it', async () => {
    const want = await stepOn('wasm');
    const got = await stepOn('webgpu');
    expect(Object.keys(got.terms).sort()).toEqual([...MAIN_TERMS, 'club'].sort());
    const terms = worst([...Object.keys(want.terms).map((k): [string, number] => [`term ${k}`, relativeDiff([got.terms[k]], [want.terms[k]])]), ['gradient norm', relativeDiff([got.gradNorm], [want.gradNorm])]]);
    expect(want.grads.size).toBe(want.after.size); // a gradient for every parameter, main and CLUB
    // Attention key biases get an identically zero gradient (softmax ignores a shift shared by all
    // keys): both backends give rounding noise, ~1e-9, so a relative figure means nothing there;
    // it must stay noise there.
    const scale = Math.max(...[...want.grads.values()].map(maxAbs));
    const zero = new Set([...want.grads].filter(([, v]) => maxAbs(v) < 1e-6 * scale).map(([k]) => k));
    for (const k of zero) expect(maxAbs(got.grads.get(k)!), `grad ${k} (zero in exact arithmetic)`).toBeLessThan(1e-6 * scale);
    const grads = worst([...want.grads].filter(([k]) => !zero.has(k)).map(([k, v]) => [`grad ${k}`, relativeDiff(got.grads.get(k)!, v)]));
    // After the step, AdamW's m / (sqrt(v) + eps) turns a gradient near eps into a step whose size
    // hangs on its last digits: weights are compared to the step size lr, not to themselves.
    const after = worst([...want.after].map(([k, v]) => [`weight ${k}`, maxAbs(got.after.get(k)!.data.map((x, i) => x - v.data[i])) / LR]));
    const real = after.filter(([name]) => !zero.has(name.slice(7)));
    console.info(
      `webgpu vs wasm, max relative difference: terms ${terms[0][1].toExponential(2)} (${terms[0][0]}), gradients ${grads[0][1].toExponential(2)} (${grads[0][0]}; ${grads.length} parameters, ${zero.size} zero key-bias gradients apart), weights after the step ${real[0][1].toExponential(2)} of lr (${real[0][0]}; zero-gradient key biases ${after[0][1].toExponential(2)})`,
    );
    for (const [name, d] of [...terms, ...grads]) expect(d, name).toBeLessThan(TOLERANCE);
    // Steps follow the gradients to a few 1e-3 of lr (worst where a gradient element sits near eps), and
    // the zero key-bias gradients' steps follow their noise (at most lr on either backend).
    for (const [name, d] of after) expect(d, name).toBeLessThan(zero.has(name.slice(7)) ? 2.001 : 1e-2);
  }, 120_000);

  it("agrees on explain's every output", async () => {
    const want = await explainOn('wasm');
    const got = await explainOn('webgpu');
    const diffs: [string, number][] = [];
    for (const b of ['masked', 'complete'] as const) {
      diffs.push([`${b}.yHat`, relativeDiff([got[b].yHat], [want[b].yHat])]);
      for (const m of ['l', 'a', 'v'] as const) {
        const mine = got[b].modalities[m] as unknown as Record<string, ArrayLike<number>>;
        for (const [k, v] of Object.entries(want[b].modalities[m] as unknown as Record<string, ArrayLike<number>>)) diffs.push([`${b}.${m}.${k}`, relativeDiff(mine[k], v)]);
      }
    }
    const sorted = worst(diffs);
    console.info(`webgpu vs wasm explain, max relative difference ${sorted[0][1].toExponential(2)} (${sorted[0][0]}) over ${sorted.length} outputs`);
    for (const [name, d] of sorted) expect(d, name).toBeLessThan(TOLERANCE);
  }, 60_000);
});
