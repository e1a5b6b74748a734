import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DarError } from '../errors';
import { decodeSafetensors, encodeSafetensors, readCheckpoint, readSafetensors, writeCheckpoint } from './safetensors';
import type { TensorMap } from './safetensors';
import expected from '../../../testing/engine/checkpoint/python-written.expected.json';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../../testing/engine/checkpoint');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dar-st-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function sampleWeights(): TensorMap {
  const odd = new Float32Array([-0, 1e-40, 3.4e38, Number.NaN, -Infinity, Math.PI]);
  return new Map([
    ['z.last', { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] }],
    ['align.a.conv.kernel', { data: Float32Array.from({ length: 60 }, (_, i) => Math.sin(i) * 1e3), shape: [3, 5, 4] }],
    ['head.bias', { data: new Float32Array([0.5]), shape: [] }],
    ['odd.values', { data: odd, shape: [6] }],
  ]);
}

function bits(a: Float32Array): number[] {
  return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));
}

function concat(chunks: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

/** A valid file's bytes with its header replaced by `header` (re-padded). */
function withHeader(header: unknown, data: Uint8Array): Uint8Array {
  let json = Buffer.from(JSON.stringify(header));
  json = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return concat([len, json, data]);
}

function malformedMessage(bytes: Uint8Array): string {
  try {
    decodeSafetensors(bytes, 'x.safetensors');
  } catch (err) {
    expect(err).toBeInstanceOf(DarError);
    expect((err as DarError).code).toBe('CHECKPOINT_MALFORMED');
    return (err as DarError).message;
  }
  throw new Error('expected CHECKPOINT_MALFORMED');
}

const F32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

describe('safetensors writer', () => {
  it('lays out an 8-aligned, space-padded header with tensors sorted by name', () => {
    const bytes = concat(encodeSafetensors(sampleWeights(), { note: 'hi' }));
    const n = Number(Buffer.from(bytes).readBigUInt64LE(0));
    expect((8 + n) % 8).toBe(0);
    const text = Buffer.from(bytes.subarray(8, 8 + n)).toString('utf8');
    expect(text.trimEnd().length).toBeLessThanOrEqual(n);
    expect(text.slice(text.trimEnd().length)).toMatch(/^ *$/);
    const header = JSON.parse(text);
    expect(header.__metadata__).toEqual({ note: 'hi' });
    const names = Object.keys(header).filter((k) => k !== '__metadata__');
    expect(names).toEqual(['align.a.conv.kernel', 'head.bias', 'odd.values', 'z.last']);
    expect(header['align.a.conv.kernel']).toEqual(F32([3, 5, 4], 0, 240));
    expect(header['head.bias']).toEqual(F32([], 240, 244));
    expect(bytes.length).toBe(8 + n + 240 + 4 + 24 + 24);
  });

  it('refuses a tensor whose shape does not match its data', () => {
    const bad: TensorMap = new Map([['w', { data: new Float32Array(5), shape: [2, 3] }]]);
    expect(() => encodeSafetensors(bad)).toThrow(/w: shape \[2,3\] needs 6 values, got 5/);
  });
});

describe('checkpoint files', () => {
  it('round-trips weights bit-identically and metadata as JSON values', async () => {
    const file = path.join(dir, 'model.safetensors');
    const weights = sampleWeights();
    const metadata = { config: { d: 128, t: 16 }, fingerprint: 'abc', history: [{ epoch: 0, sel: 1.5 }], skip: undefined };
    await writeCheckpoint(file, { weights, metadata });
    const back = await readCheckpoint(file);
    expect([...back.weights.keys()]).toEqual([...weights.keys()].sort());
    for (const [name, t] of weights) {
      expect(back.weights.get(name)!.shape).toEqual(t.shape);
      expect(bits(back.weights.get(name)!.data)).toEqual(bits(t.data));
    }
    expect(back.metadata).toEqual({ config: { d: 128, t: 16 }, fingerprint: 'abc', history: [{ epoch: 0, sel: 1.5 }] });
    expect(back.rawMetadata.fingerprint).toBe('"abc"');
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });

  it('reads a file written by an independent Python writer (other data order, scalar, empty tensor)', async () => {
    const { tensors, metadata } = await readSafetensors(path.join(FIXTURES, 'python-written.safetensors'));
    expect(metadata).toEqual(expected.metadata);
    expect([...tensors.keys()].sort()).toEqual(Object.keys(expected.tensors).sort());
    for (const [name, want] of Object.entries(expected.tensors)) {
      expect(tensors.get(name)!.shape).toEqual(want.shape);
      expect(bits(tensors.get(name)!.data)).toEqual(want.bits);
    }
    const ckpt = await readCheckpoint(path.join(FIXTURES, 'python-written.safetensors'));
    expect(ckpt.metadata).toEqual({ format: 'pt', config: { d: 8, t: 4, heads: 2 } });
  });

  it('says FILE_NOT_FOUND for a missing file', async () => {
    await expect(readCheckpoint(path.join(dir, 'nope.safetensors'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('never leaves a partial file: the old checkpoint and no temp file remain when the write fails', async () => {
    const file = path.join(dir, 'model.safetensors');
    await writeCheckpoint(file, { weights: sampleWeights(), metadata: { v: 1 } });
    const before = await readFile(file);
    // A shape/data mismatch in the last tensor fails while encoding, before anything is renamed.
    const broken: TensorMap = new Map([...sampleWeights(), ['zz', { data: new Float32Array(3), shape: [4] }]]);
    await expect(writeCheckpoint(file, { weights: broken, metadata: { v: 2 } })).rejects.toThrow(/zz/);
    expect(Buffer.compare(await readFile(file), before)).toBe(0);
    expect(await readdir(dir)).toEqual(['model.safetensors']);
  });
});

describe('safetensors validation', () => {
  const data = new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer);
  const good = { a: F32([2], 0, 8), b: F32([2], 8, 16) };

  it('accepts the hand-made baseline', () => {
    expect(decodeSafetensors(withHeader(good, data), 'x').tensors.get('b')!.data).toEqual(new Float32Array([3, 4]));
  });

  it('names each malformed case', () => {
    const valid = withHeader(good, data);
    const cases: [Uint8Array, RegExp][] = [
      [valid.subarray(0, 5), /truncated: 5 bytes, shorter than the 8-byte header length/],
      [valid.subarray(0, 20), /truncated: header length \d+ exceeds/],
      [valid.subarray(0, valid.length - 4), /truncated or out of range: tensor b ends at data byte 16, the data buffer has 12/],
      [withHeader({ a: F32([2], 0, 8), b: F32([2], 8, 24) }, data), /b: shape \[2\] x 4 = 8 bytes, but data_offsets \[8, 24\] span 16/],
      [withHeader({ a: F32([2], 0, 8), b: F32([2], 4, 12) }, data), /tensors a and b overlap/],
      [withHeader({ a: F32([2], 8, 16), b: F32([2], 24, 32) }, new Uint8Array(32)), /hole in the data buffer: bytes 0\.\.8/],
      [withHeader({ a: F32([2], 0, 8) }, data), /8 trailing bytes after the last tensor/],
      [withHeader({ a: { dtype: 'F16', shape: [2], data_offsets: [0, 4] } }, data), /tensor a: dtype "F16" is not supported/],
      [withHeader({ a: F32([-2], 0, 8) }, data), /tensor a: shape \[-2\] is not a list/],
      [withHeader({ a: { dtype: 'F32', shape: [2], data_offsets: [8] } }, data), /data_offsets \[8\] is not \[begin, end\]/],
      [withHeader({ a: { dtype: 'F32', shape: [0], data_offsets: [8, 0] } }, data), /end before they begin/],
      [withHeader({ __metadata__: { n: 3 }, ...good }, data), /__metadata__\.n must be a string/],
      [withHeader([1, 2], data), /must start with "\{"/],
    ];
    for (const [bytes, pattern] of cases) expect(malformedMessage(bytes)).toMatch(pattern);
  });

  it('reports unparsable header JSON and absurd header lengths', () => {
    const json = Buffer.from('{"a": {"dtype": "F32",   ');
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(json.length));
    expect(malformedMessage(concat([len, json]))).toMatch(/bad header JSON/);
    len.writeBigUInt64LE(1n << 40n);
    expect(malformedMessage(concat([len, json]))).toMatch(/header length \d+ is larger than/);
  });

  it('names the file in the error', async () => {
    const file = path.join(dir, 'bad.safetensors');
    await writeFile(file, Buffer.from([1, 2, 3]));
    await expect(readCheckpoint(file)).rejects.toThrow(new RegExp(`${file.replace(/[.\\]/g, '\\$&')}: truncated`));
  });
});
