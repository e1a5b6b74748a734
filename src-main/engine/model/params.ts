/**
 * ParamStore: every trainable tf.Variable of a model under its spec dotted name. Each variable
 * is initialised from its own stream createRng(seed, hash(name)), so weights depend only on
 * (seed, name, shape), not on the order in which modules are built.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DarError, shapeStr } from '../errors';
import { createRng } from '../rng';
import type { Rng } from '../rng';

/** Which optimiser owns a variable: the main model or the CLUB estimators. */
export type ParamGroup = 'main' | 'club';

/** Fills a variable's initial values (row-major, length = product of the shape). */
export type Init = (rng: Rng, size: number) => Float32Array;

/** A variable's values as plain data, e.g. for checkpoints. */
export interface WeightData {
  data: Float32Array;
  shape: number[];
}

let storeCounter = 0;

/** FNV-1a over the UTF-16 code units: a stable 32-bit stream id per name. */
function hashName(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Trainable variables under dotted names, grouped for the two optimisers. */
export class ParamStore {
  private readonly vars = new Map<string, { v: tf.Variable; group: ParamGroup }>();
  private readonly prefix: string;

  constructor(readonly seed: number) {
    this.prefix = `dar${storeCounter++}/`;
  }

  /** Creates (once) or returns the variable under a dotted spec name, e.g. 'align.a.conv.kernel'. */
  variable(name: string, shape: number[], init: Init, group: ParamGroup): tf.Variable {
    const found = this.vars.get(name);
    if (found) {
      if (!tf.util.arraysEqual(found.v.shape, shape)) {
        throw new DarError('INTERNAL', `param ${name}: exists as ${shapeStr(found.v.shape)}, requested ${shapeStr(shape)}`);
      }
      return found.v;
    }
    const size = shape.reduce((a, b) => a * b, 1);
    const data = init(createRng(this.seed, hashName(name)), size);
    const initial = tf.tensor(data, shape);
    const v = tf.variable(initial, true, this.prefix + name);
    initial.dispose();
    this.vars.set(name, { v, group });
    return v;
  }

  /** Sorted dotted names, optionally of one group. */
  names(group?: ParamGroup): string[] {
    const out: string[] = [];
    for (const [name, e] of this.vars) if (!group || e.group === group) out.push(name);
    return out.sort();
  }

  /** The variable under a dotted name. */
  get(name: string): tf.Variable {
    const e = this.vars.get(name);
    if (!e) throw new DarError('INTERNAL', `param ${name}: no such variable`);
    return e.v;
  }

  /** Dotted name -> variable for one group, in sorted name order. */
  group(group: ParamGroup): Map<string, tf.Variable> {
    return new Map(this.names(group).map((n) => [n, this.get(n)]));
  }

  /** Number of scalar weights, optionally of one group. */
  count(group?: ParamGroup): number {
    return this.names(group).reduce((s, n) => s + this.get(n).size, 0);
  }

  /** Typed-array snapshot of every variable (sorted names), for checkpoints. */
  async exportWeights(): Promise<Map<string, WeightData>> {
    const names = this.names();
    // Reads are async only: a sync read on a WebGPU backend stalls or, in Chromium, returns zeros.
    const data = await Promise.all(names.map((n) => this.get(n).data<'float32'>()));
    return new Map(names.map((n, i) => [n, { data: new Float32Array(data[i]), shape: [...this.get(n).shape] }]));
  }

  /** Replaces every variable's values; names and shapes must match exactly. */
  importWeights(weights: Map<string, WeightData>): void {
    const missing = this.names().filter((n) => !weights.has(n));
    if (missing.length) throw new DarError('CHECKPOINT_MALFORMED', `weights: missing ${missing.length} variable(s), e.g. ${missing.slice(0, 3).join(', ')}`);
    for (const [name, w] of weights) {
      const e = this.vars.get(name);
      if (!e) throw new DarError('CHECKPOINT_MALFORMED', `weights: unknown variable ${name}`);
      const size = w.shape.reduce((a, b) => a * b, 1);
      if (!tf.util.arraysEqual(e.v.shape, w.shape) || w.data.length !== size) {
        throw new DarError('CHECKPOINT_MALFORMED', `weights ${name}: expected ${shapeStr(e.v.shape)}, got ${shapeStr(w.shape)} with ${w.data.length} values`);
      }
    }
    for (const [name, w] of weights) {
      const t = tf.tensor(w.data, w.shape);
      this.get(name).assign(t);
      t.dispose();
    }
  }

  /** Disposes every variable. */
  dispose(): void {
    for (const { v } of this.vars.values()) v.dispose();
    this.vars.clear();
  }
}

/** U(-bound, bound). */
export function uniformInit(bound: number): Init {
  return (rng, size) => {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = (2 * rng.next() - 1) * bound;
    return out;
  };
}

/** N(0, std^2). */
export function normalInit(std: number): Init {
  return (rng, size) => {
    const out = new Float32Array(size);
    for (let i = 0; i < size; i++) out[i] = rng.normal() * std;
    return out;
  };
}

/** A constant. */
export function constInit(value: number): Init {
  return (_rng, size) => new Float32Array(size).fill(value);
}

/** PyTorch Linear/Conv default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases. */
export function fanInInit(fanIn: number): Init {
  return uniformInit(1 / Math.sqrt(fanIn));
}

/** Xavier/Glorot uniform: U(-sqrt(6 / (fan_in + fan_out)), +). */
export function xavierInit(fanIn: number, fanOut: number): Init {
  return uniformInit(Math.sqrt(6 / (fanIn + fanOut)));
}
