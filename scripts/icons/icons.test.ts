import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { drawMark } from './draw-mark';
import { encodeIcns, encodeIco, ICNS_TYPES, readIcnsEntries } from './icon-containers';
import { crc32, encodePng } from './png';

/** Decodes an image with ffmpeg to its RGBA bytes. */
function ffmpegRgba(image: Buffer): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'rgba', 'pipe:1'], { input: image });
}

describe('icon files', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('writes PNGs that another decoder reads back pixel for pixel', () => {
    const rgba = Uint8Array.from({ length: 7 * 5 * 4 }, (_, i) => (i * 37 + (i >> 3)) & 0xff);
    expect(new Uint8Array(ffmpegRgba(encodePng(7, 5, rgba)))).toEqual(rgba);
  });

  it('draws a mark with a transparent margin and an opaque body', () => {
    const size = 64;
    const px = drawMark(size);
    const alpha = (x: number, y: number): number => px[(y * size + x) * 4 + 3];
    expect(alpha(0, 0)).toBe(0);
    expect(alpha(32, 32)).toBe(255);
    // The middle bar is amber, not white or the gradient.
    const centre = (32 * size + 32) * 4;
    expect([px[centre], px[centre + 1], px[centre + 2]]).toEqual([251, 191, 36]);
  });

  it('packs an .ico whose directory points at each PNG', () => {
    const pngs = [16, 256].map((size) => ({ size, png: encodePng(size, size, drawMark(size)) }));
    const ico = encodeIco(pngs);
    expect(ico.readUInt16LE(2)).toBe(1);
    expect(ico.readUInt16LE(4)).toBe(2);
    expect(ico[6 + 16]).toBe(0); // 256 is written as 0
    const offset = ico.readUInt32LE(6 + 16 + 12);
    expect(ico.subarray(offset, offset + ico.readUInt32LE(6 + 16 + 8))).toEqual(pngs[1].png);
  });

  it('packs an .icns with every PNG entry type at its size', () => {
    const icns = encodeIcns((size) => encodePng(size, size, drawMark(size)));
    const entries = readIcnsEntries(icns);
    expect(entries.map((e) => e.type)).toEqual(ICNS_TYPES.map((t) => t.type));
    for (const [i, e] of entries.entries()) expect(e.data.readUInt32BE(16)).toBe(ICNS_TYPES[i].size); // PNG IHDR width
  });
});
