/**
 * The picture of a demo video, drawn in memory as RGB frames: a plain face on a background
 * whose hue moves with the clip's visual expression (cool when negative, warm when positive)
 * and whose brightness follows the "light" nuisance; the smile and brows follow the same
 * expression the visual features carry, the head moves with the pose nuisance and the mouth
 * opens with the speech energy.
 */

/** Frame size of the demo videos. */
export const PICTURE = { width: 480, height: 270 } as const;

/** What one frame shows. */
export interface FrameLook {
  /** Visual expression, about N(0, 1) when present, 0 when not. */
  smile: number;
  poseX: number;
  poseY: number;
  light: number;
  /** Mouth opening in [0, 1] (from the speech energy). */
  open: number;
  blink: boolean;
}

type Rgb = readonly [number, number, number];

const SKINS: readonly Rgb[] = [[241, 200, 170], [198, 142, 101], [224, 172, 125], [141, 95, 64], [250, 214, 186], [172, 118, 84]];
const HAIRS: readonly Rgb[] = [[60, 40, 30], [20, 20, 24], [150, 100, 50], [90, 60, 40], [200, 170, 110], [40, 30, 30]];
const SHIRTS: readonly Rgb[] = [[52, 73, 94], [142, 68, 173], [39, 120, 90], [120, 40, 40], [60, 90, 160], [90, 90, 90]];

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

function hsl(h: number, s: number, l: number): Rgb {
  const f = (n: number): number => {
    const k = (n + h / 30) % 12;
    return 255 * (l - s * Math.min(l, 1 - l) * Math.max(-1, Math.min(k - 3, 9 - k, 1)));
  };
  return [f(0), f(8), f(4)];
}

/** A frame buffer with soft-edged shapes. */
class Canvas {
  constructor(readonly data: Uint8Array) {}

  blend(x: number, y: number, c: Rgb, alpha: number): void {
    if (alpha <= 0 || x < 0 || y < 0 || x >= PICTURE.width || y >= PICTURE.height) return;
    const i = 3 * (y * PICTURE.width + x);
    const a = Math.min(1, alpha);
    for (let k = 0; k < 3; k++) this.data[i + k] = Math.round(this.data[i + k] * (1 - a) + c[k] * a);
  }

  gradient(top: Rgb, bottom: Rgb): void {
    const row = 3 * PICTURE.width;
    for (let y = 0; y < PICTURE.height; y++) {
      const t = y / (PICTURE.height - 1);
      const c = top.map((v, k) => Math.round(v + (bottom[k] - v) * t));
      this.data.set(c, y * row);
      // Doubling copies fill the row in log(width) steps.
      for (let filled = 3; filled < row; filled *= 2) this.data.copyWithin(y * row + filled, y * row, y * row + Math.min(filled, row - filled));
    }
  }

  ellipse(cx: number, cy: number, rx: number, ry: number, c: Rgb): void {
    for (let y = Math.floor(cy - ry - 1); y <= cy + ry + 1; y++) {
      for (let x = Math.floor(cx - rx - 1); x <= cx + rx + 1; x++) {
        const u = (x + 0.5 - cx) / rx;
        const v = (y + 0.5 - cy) / ry;
        const d = Math.sqrt(u * u + v * v);
        this.blend(x, y, c, (1 - d) * Math.min(rx, ry) + 0.5);
      }
    }
  }

  segment(x0: number, y0: number, x1: number, y1: number, width: number, c: Rgb): void {
    const len2 = (x1 - x0) ** 2 + (y1 - y0) ** 2;
    for (let y = Math.floor(Math.min(y0, y1) - width); y <= Math.max(y0, y1) + width; y++) {
      for (let x = Math.floor(Math.min(x0, x1) - width); x <= Math.max(x0, x1) + width; x++) {
        const t = clamp(((x + 0.5 - x0) * (x1 - x0) + (y + 0.5 - y0) * (y1 - y0)) / len2, 0, 1);
        const d = Math.hypot(x + 0.5 - x0 - t * (x1 - x0), y + 0.5 - y0 - t * (y1 - y0));
        this.blend(x, y, c, width / 2 - d + 0.5);
      }
    }
  }
}

function drawMouth(cv: Canvas, mx: number, my: number, look: FrameLook): void {
  const w = 24;
  const curve = 9 * Math.tanh(0.8 * look.smile);
  const gap = 9 * look.open;
  for (let x = Math.floor(mx - w - 2); x <= mx + w + 2; x++) {
    const u = clamp((x + 0.5 - mx) / w, -1, 1);
    const yc = my - curve * (u * u - 0.3);
    const half = gap * Math.sqrt(1 - u * u);
    const inside = Math.abs(x + 0.5 - mx) <= w;
    for (let y = Math.floor(yc - half - 4); y <= yc + half + 4; y++) {
      const dy = Math.abs(y + 0.5 - yc);
      if (inside && dy < half) cv.blend(x, y, [90, 20, 30], half - dy + 0.5);
      if (inside) cv.blend(x, y, [150, 60, 60], 1.6 - Math.abs(dy - half) + 0.5);
    }
  }
}

function drawEyes(cv: Canvas, cx: number, cy: number, look: FrameLook): void {
  const tilt = 5 * Math.tanh(0.8 * look.smile);
  for (const side of [-1, 1]) {
    const ex = cx + side * 22;
    const ey = cy - 12;
    cv.ellipse(ex, ey, 8, look.blink ? 1.5 : 6, [250, 250, 250]);
    if (!look.blink) cv.ellipse(ex, ey + 1, 3.5, 3.5, [40, 40, 50]);
    // Inner brow ends drop when the expression is negative, rise when it is positive.
    cv.segment(ex - side * 11, ey - 14, ex + side * 9, ey - 14 - tilt, 3.5, [70, 50, 40]);
  }
}

/** Draws one frame of persona `persona` into `data` (RGB24, PICTURE size). */
export function drawFrame(data: Uint8Array, look: FrameLook, persona: number): void {
  const cv = new Canvas(data);
  // Neutral is grey; negative turns cool blue, positive warm amber, more saturated when stronger.
  const hue = look.smile < 0 ? 215 : 35;
  const sat = 0.08 + 0.5 * Math.tanh(0.8 * Math.abs(look.smile));
  const light = clamp(0.5 + 0.05 * look.light, 0.3, 0.7);
  cv.gradient(hsl(hue, sat, light + 0.08), hsl(hue, sat, light - 0.12));
  const cx = PICTURE.width / 2 + 12 * look.poseX;
  const cy = 108 + 6 * look.poseY;
  cv.ellipse(cx, cy + 125, 115, 62, SHIRTS[persona % SHIRTS.length]);
  cv.ellipse(cx, cy - 14, 64, 58, HAIRS[(persona >> 3) % HAIRS.length]);
  cv.ellipse(cx, cy + 64, 18, 20, SKINS[persona % SKINS.length]);
  cv.ellipse(cx, cy, 56, 64, SKINS[persona % SKINS.length]);
  drawEyes(cv, cx, cy, look);
  drawMouth(cv, cx, cy + 30, look);
}
