/**
 * The DAR Studio mark, drawn from signed distances at any size (so a 16px icon is drawn, not
 * shrunk): a rounded square with an indigo-to-teal gradient and five level bars, the middle
 * one amber: the modalities, one of them reconstructed.
 */

type Rgb = readonly [number, number, number];

const FROM: Rgb = [55, 48, 163]; // indigo
const TO: Rgb = [8, 145, 178]; // teal
const BAR: Rgb = [255, 255, 255];
const ACCENT: Rgb = [251, 191, 36]; // amber
interface Layout {
  inset: number;
  corner: number;
  barHalfWidth: number;
  barStep: number;
  barHeights: readonly number[];
}

// macOS's icon grid: the body is 824 of 1024 units, corners ~185.
const LARGE: Layout = { inset: 100 / 1024, corner: 185 / 1024, barHalfWidth: 0.034, barStep: 0.118, barHeights: [0.22, 0.4, 0.56, 0.4, 0.22] };
// At 16-24px five one-pixel bars blur into a smudge: fill the square and draw three.
const SMALL: Layout = { inset: 0.5 / 16, corner: 3.5 / 16, barHalfWidth: 1.1 / 16, barStep: 4.5 / 16, barHeights: [0.36, 0.64, 0.36] };

/** Signed distance to a box centred at (cx, cy) with half sizes hx, hy and corner radius r (negative inside). */
function roundedBox(x: number, y: number, cx: number, cy: number, hx: number, hy: number, r: number): number {
  const qx = Math.abs(x - cx) - hx + r;
  const qy = Math.abs(y - cy) - hy + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function coverage(distance: number, size: number): number {
  return Math.min(1, Math.max(0, 0.5 - distance * size));
}

function mix(a: Rgb, b: Rgb, t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

function shade(x: number, y: number, size: number, l: Layout): [number, number, number, number] {
  const half = 0.5 - l.inset;
  const body = coverage(roundedBox(x, y, 0.5, 0.5, half, half, l.corner), size);
  if (body === 0) return [0, 0, 0, 0];
  let rgb = mix(FROM, TO, Math.min(1, Math.max(0, (x + y - 2 * l.inset) / (4 * half))));
  const middle = (l.barHeights.length - 1) / 2;
  l.barHeights.forEach((h, i) => {
    const d = roundedBox(x, y, 0.5 + (i - middle) * l.barStep, 0.5, l.barHalfWidth, h / 2, l.barHalfWidth);
    const c = coverage(d, size);
    if (c > 0) rgb = mix(rgb, i === middle ? ACCENT : BAR, c);
  });
  return [rgb[0], rgb[1], rgb[2], body * 255];
}

/** The mark as straight-alpha RGBA pixels, `size` x `size`. */
export function drawMark(size: number): Uint8Array {
  const out = new Uint8Array(size * size * 4);
  const layout = size <= 24 ? SMALL : LARGE;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const px4 = (py * size + px) * 4;
      const [r, g, b, a] = shade((px + 0.5) / size, (py + 0.5) / size, size, layout);
      out[px4] = Math.round(r);
      out[px4 + 1] = Math.round(g);
      out[px4 + 2] = Math.round(b);
      out[px4 + 3] = Math.round(a);
    }
  }
  return out;
}
