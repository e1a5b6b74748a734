import { describe, expect, it } from 'vitest';
import { WireCodecError, decodeMessage, encodeMessage, newWireMemo } from './wire-codec';

const roundTrip = (value: unknown): unknown => decodeMessage(encodeMessage(value));

/** The array table of a frame, read by hand. */
function arrayTable(frame: Uint8Array): [number, number][] {
  const length = new DataView(frame.buffer, frame.byteOffset).getUint32(0, true);
  return (JSON.parse(new TextDecoder().decode(frame.subarray(4, 4 + length))) as { arrays: [number, number][] }).arrays;
}

describe('wire codec', () => {
  it('round-trips nested objects, arrays, nulls, booleans and numbers', () => {
    const value = { id: 7, result: { ok: true, value: { a: [1, 'two', null, false, { deep: [[], {}] }], n: -0.125, big: 1e300 } } };
    expect(roundTrip(value)).toEqual(value);
  });

  it('round-trips every typed array type with its exact values', () => {
    const arrays = {
      i8: Int8Array.of(-128, 0, 127),
      u8: Uint8Array.of(0, 255, 1),
      u8c: Uint8ClampedArray.of(0, 255),
      i16: Int16Array.of(-32768, 32767),
      u16: Uint16Array.of(65535, 3),
      i32: Int32Array.of(-2147483648, 2147483647),
      u32: Uint32Array.of(4294967295, 5),
      f32: Float32Array.of(0.1, -Infinity, NaN, 3.5),
      f64: Float64Array.of(Math.PI, -0, Number.MIN_VALUE),
      bi64: BigInt64Array.of(-9007199254740993n, 1n),
      bu64: BigUint64Array.of(18446744073709551615n),
    };
    const back = roundTrip(arrays) as typeof arrays;
    for (const [key, original] of Object.entries(arrays)) {
      const decoded = back[key as keyof typeof arrays];
      expect(Object.prototype.toString.call(decoded)).toBe(Object.prototype.toString.call(original));
      expect(Array.from(decoded as ArrayLike<number | bigint>)).toEqual(Array.from(original as ArrayLike<number | bigint>));
    }
    expect(Object.is(back.f64[1], -0)).toBe(true);
  });

  it('carries typed arrays as raw bytes, not as JSON numbers', () => {
    const data = new Float32Array(1000).fill(0.123456789);
    const frame = encodeMessage({ event: { data } });
    expect(frame.byteLength).toBeLessThan(4000 + 200);
    const header = new TextDecoder().decode(frame.subarray(4, 4 + new DataView(frame.buffer).getUint32(0, true)));
    expect(header).toContain('"$ta":0');
    expect(header).not.toContain('0.123');
  });

  it('round-trips empty typed arrays, empty strings and empty containers', () => {
    const value = { e: new Float32Array(0), u: new Uint8Array(0), s: '', list: [], obj: {}, after: Int16Array.of(9) };
    const back = roundTrip(value) as typeof value;
    expect(back.e).toBeInstanceOf(Float32Array);
    expect(back.e.length).toBe(0);
    expect(back.u.length).toBe(0);
    expect(Array.from(back.after)).toEqual([9]);
    expect(back.s).toBe('');
    expect(back.list).toEqual([]);
    expect(back.obj).toEqual({});
  });

  it('round-trips unicode strings (accents, CJK, emoji, lone surrogates escaped)', () => {
    const value = { text: 'naïve café — 感情分析 😀👍🏽', key: { 'ключ ✓': 'значение' }, lone: '\ud800x' };
    expect(roundTrip(value)).toEqual(value);
  });

  it('places every array on an 8-byte boundary whatever the header length', () => {
    for (let pad = 0; pad < 16; pad++) {
      const frame = encodeMessage({ s: 'x'.repeat(pad), a: Uint8Array.of(1, 2, 3), b: Float64Array.of(1.5), c: Int16Array.of(-1) });
      for (const [offset] of arrayTable(frame)) expect(offset % 8).toBe(0);
      const back = decodeMessage(frame) as { b: Float64Array; c: Int16Array };
      expect(back.b[0]).toBe(1.5);
      expect(back.c[0]).toBe(-1);
    }
  });

  it('decodes from an unaligned Node Buffer by copying where a view would be misaligned', () => {
    const frame = encodeMessage({ f: Float64Array.of(1, 2, 3), i: Int32Array.of(4) });
    const host = new Uint8Array(frame.byteLength + 3);
    host.set(frame, 3);
    const back = decodeMessage(host.subarray(3)) as { f: Float64Array; i: Int32Array };
    expect(Array.from(back.f)).toEqual([1, 2, 3]);
    expect(Array.from(back.i)).toEqual([4]);
  });

  it('keeps subarray views to their own bytes and shares nothing with the sender', () => {
    const whole = Float32Array.of(1, 2, 3, 4, 5);
    // Node's Buffer (what ws hands the host) has a toJSON of its own; this file also type-checks for the page.
    const NodeBuffer = (globalThis as unknown as { Buffer: { from(s: string): Uint8Array } }).Buffer;
    const back = roundTrip({ part: whole.subarray(1, 3), buf: NodeBuffer.from('hi') }) as { part: Float32Array; buf: Uint8Array };
    expect(Array.from(back.part)).toEqual([2, 3]);
    expect(back.buf).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(back.buf)).toBe('hi');
    back.part[0] = 99;
    expect(whole[1]).toBe(2);
  });

  it('carries equal arrays of one frame once and still decodes them as separate arrays', () => {
    const features = Float32Array.from({ length: 256 }, (_, i) => Math.sin(i));
    const once = encodeMessage({ a: features });
    const twice = encodeMessage({ a: features, b: Float32Array.from(features), c: Uint8Array.of(1, 2), d: Uint8Array.of(1, 2) });
    expect(arrayTable(twice)).toHaveLength(2);
    expect(twice.byteLength - once.byteLength).toBeLessThan(features.byteLength);
    const back = decodeMessage(twice) as { a: Float32Array; b: Float32Array; c: Uint8Array; d: Uint8Array };
    expect(Array.from(back.b)).toEqual(Array.from(features));
    expect(Array.from(back.d)).toEqual([1, 2]);
    back.a[0] = 99;
    back.c[0] = 99;
    expect(back.b[0]).toBe(features[0]);
    expect(back.d[0]).toBe(1);
  });

  it('refers memo frames to the arrays of the previous memo frame instead of carrying them again', () => {
    const complete = Float32Array.from({ length: 1024 }, (_, i) => i / 7);
    const answer = (masked: number): unknown => ({ id: masked, result: { ok: true, value: { masked: Float32Array.of(masked, 2 * masked), complete } } });
    const [hostMemo, pageMemo] = [newWireMemo(), newWireMemo()];
    const first = encodeMessage(answer(1), hostMemo);
    const second = encodeMessage(answer(2), hostMemo);
    expect(first.byteLength).toBeGreaterThan(complete.byteLength);
    expect(second.byteLength).toBeLessThan(complete.byteLength / 4);
    const a = decodeMessage(first, pageMemo) as { result: { value: { complete: Float32Array } } };
    a.result.value.complete.fill(0); // what the page does with a message cannot change what later frames refer to
    const b = decodeMessage(second, pageMemo) as { result: { value: { masked: Float32Array; complete: Float32Array } } };
    expect(Array.from(b.result.value.masked)).toEqual([2, 4]);
    expect(Array.from(b.result.value.complete)).toEqual(Array.from(complete));
    // Without the connection's memo (or out of step with it) a memo frame cannot be read.
    expect(() => decodeMessage(second)).toThrow(/memo/);
    expect(() => decodeMessage(second, newWireMemo())).toThrow(/memo/);
    expect(decodeMessage(encodeMessage({ event: { n: 1 } }), pageMemo)).toEqual({ event: { n: 1 } });
    complete[0] = -5; // changed in place after it was sent: the memo kept its own copy, so it is carried again
    const c = decodeMessage(encodeMessage(answer(3), hostMemo), pageMemo) as { result: { value: { complete: Float32Array } } };
    expect(c.result.value.complete[0]).toBe(-5);
  });

  it('refuses values it cannot carry and malformed frames with a WireCodecError', () => {
    expect(() => encodeMessage({ view: new DataView(new ArrayBuffer(4)) })).toThrow(WireCodecError);
    expect(() => encodeMessage({ raw: new ArrayBuffer(4) })).toThrow(WireCodecError);
    expect(() => encodeMessage({ $ta: 1, type: 'Float32Array' })).toThrow(/reserved/);
    expect(() => decodeMessage(Uint8Array.of(1, 2))).toThrow(WireCodecError);
    const frame = encodeMessage({ a: Float32Array.of(1, 2) });
    expect(() => decodeMessage(frame.subarray(0, frame.length - 4))).toThrow(/outside/);
    const junk = new Uint8Array(12);
    new DataView(junk.buffer).setUint32(0, 8, true);
    junk.set(new TextEncoder().encode('{"a":1}x'), 4);
    expect(() => decodeMessage(junk)).toThrow(WireCodecError);
  });
});
