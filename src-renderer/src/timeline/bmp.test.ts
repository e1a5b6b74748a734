import { describe, expect, it } from 'vitest';
import { rgbaToBmp, rgbaToBmpUrl } from './bmp';

describe('rgbaToBmp', () => {
  it('writes a top-down 24-bit BMP whose rows are padded to 4 bytes, pixels as BGR', () => {
    // 3 x 2: red, green, blue / white, black, grey
    const rgba = Uint8Array.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0, 255, 128, 128, 128, 255]);
    const bmp = rgbaToBmp(rgba, 3, 2);
    const v = new DataView(bmp.buffer);
    expect(String.fromCharCode(bmp[0], bmp[1])).toBe('BM');
    expect(v.getUint32(2, true)).toBe(bmp.length);
    expect(v.getUint32(10, true)).toBe(54);
    expect([v.getInt32(18, true), v.getInt32(22, true), v.getUint16(28, true)]).toEqual([3, -2, 24]);
    // stride: 3 px x 3 bytes = 9, padded to 12
    expect(bmp.length).toBe(54 + 12 * 2);
    expect(Array.from(bmp.subarray(54, 54 + 9))).toEqual([0, 0, 255, 0, 255, 0, 255, 0, 0]);
    expect(Array.from(bmp.subarray(66, 66 + 9))).toEqual([255, 255, 255, 0, 0, 0, 128, 128, 128]);
  });

  it('refuses a buffer too small for its size', () => {
    expect(() => rgbaToBmp(new Uint8Array(8), 3, 2)).toThrow(RangeError);
  });

  it('gives the same bytes as a base64 data URL, also past one chunk of the encoder', () => {
    const w = 100;
    const h = 40; // 54 + 300 x 40 = 12,054 bytes: more than one 8 KB chunk
    const rgba = Uint8Array.from({ length: w * h * 4 }, (_, i) => (i * 37) % 256);
    const url = rgbaToBmpUrl(rgba, w, h);
    expect(url.startsWith('data:image/bmp;base64,')).toBe(true);
    const decoded = Uint8Array.from(atob(url.slice('data:image/bmp;base64,'.length)), (c) => c.charCodeAt(0));
    expect(decoded).toEqual(rgbaToBmp(rgba, w, h));
  });
});
