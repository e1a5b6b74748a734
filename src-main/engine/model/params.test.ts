import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { DarError } from '../errors';
import { ParamStore, constInit, fanInInit, normalInit, xavierInit } from './params';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function build(seed: number): ParamStore {
  const s = new ParamStore(seed);
  s.variable('b.kernel', [40, 30], fanInInit(40), 'main');
  s.variable('a.pos', [16, 32], normalInit(0.02), 'main');
  s.variable('c.ln.gamma', [8], constInit(1), 'main');
  s.variable('club.l.mu.kernel', [30, 30], xavierInit(30, 30), 'club');
  return s;
}

describe('ParamStore', () => {
  it('gives identical weights for the same seed, whatever the creation order', () => {
    const a = build(3);
    const b = new ParamStore(3);
    b.variable('club.l.mu.kernel', [30, 30], xavierInit(30, 30), 'club');
    b.variable('b.kernel', [40, 30], fanInInit(40), 'main');
    expect(Array.from(b.get('b.kernel').dataSync())).toEqual(Array.from(a.get('b.kernel').dataSync()));
    expect(Array.from(b.get('club.l.mu.kernel').dataSync())).toEqual(Array.from(a.get('club.l.mu.kernel').dataSync()));
    const c = build(4);
    expect(Array.from(c.get('b.kernel').dataSync())).not.toEqual(Array.from(a.get('b.kernel').dataSync()));
    [a, b, c].forEach((s) => s.dispose());
  });

  it('initialises within the PyTorch-like bounds', () => {
    const s = build(5);
    const k = Array.from(s.get('b.kernel').dataSync());
    expect(Math.max(...k.map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(40));
    expect(Math.max(...k.map(Math.abs))).toBeGreaterThan(0.9 / Math.sqrt(40));
    const x = Array.from(s.get('club.l.mu.kernel').dataSync());
    expect(Math.max(...x.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 60));
    const p = Array.from(s.get('a.pos').dataSync());
    const std = Math.sqrt(p.reduce((acc, v) => acc + v * v, 0) / p.length);
    expect(std).toBeGreaterThan(0.017);
    expect(std).toBeLessThan(0.023);
    expect(Array.from(s.get('c.ln.gamma').dataSync())).toEqual(new Array(8).fill(1));
    s.dispose();
  });

  it('lists sorted dotted names per group and returns a created variable again', () => {
    const s = build(1);
    expect(s.names()).toEqual(['a.pos', 'b.kernel', 'c.ln.gamma', 'club.l.mu.kernel']);
    expect(s.names('club')).toEqual(['club.l.mu.kernel']);
    expect([...s.group('main').keys()]).toEqual(['a.pos', 'b.kernel', 'c.ln.gamma']);
    expect(s.variable('a.pos', [16, 32], normalInit(1), 'main')).toBe(s.get('a.pos'));
    expect(s.count('main')).toBe(40 * 30 + 16 * 32 + 8);
    expect(() => s.variable('a.pos', [16, 31], normalInit(1), 'main')).toThrow(/exists as \[16,32\]/);
    s.dispose();
  });

  it('lets two stores with the same names coexist', () => {
    const a = build(1);
    const b = build(2);
    expect(a.get('b.kernel').name).not.toBe(b.get('b.kernel').name);
    a.dispose();
    b.dispose();
  });

  it('exports and imports weights, refusing wrong names or shapes with a coded error', async () => {
    const a = build(1);
    const b = build(2);
    const weights = await a.exportWeights();
    expect([...weights.keys()]).toEqual(a.names());
    b.importWeights(weights);
    expect(Array.from(b.get('b.kernel').dataSync())).toEqual(Array.from(a.get('b.kernel').dataSync()));
    weights.get('b.kernel')!.data[0] = 123; // a copy: the variable keeps its value
    expect(a.get('b.kernel').dataSync()[0]).not.toBe(123);
    const bad = new Map(weights);
    bad.set('a.pos', { data: new Float32Array(16 * 31), shape: [16, 31] });
    expect(() => b.importWeights(bad)).toThrow(DarError);
    expect(() => b.importWeights(bad)).toThrow(/weights a\.pos: expected \[16,32\], got \[16,31\]/);
    const missing = new Map(weights);
    missing.delete('c.ln.gamma');
    expect(() => b.importWeights(missing)).toThrow(/missing 1 variable\(s\), e\.g\. c\.ln\.gamma/);
    const extra = new Map(weights).set('zzz', { data: new Float32Array(1), shape: [1] });
    expect(() => b.importWeights(extra)).toThrow(/unknown variable zzz/);
    a.dispose();
    b.dispose();
  });

  it('disposes its variables', () => {
    const before = tf.memory().numTensors;
    build(1).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
