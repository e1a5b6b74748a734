/**
 * Canvas painting of one timeline track: tokens placed in time (language), per-frame intensity
 * (acoustic, visual), the mask segments on top, and the per-bin reconstruction error strip
 * along the bottom. Everything is placed through the geometry module; only pixels live here.
 */
import type { ModalityMask } from '#contract/api';
import { sequentialColour, rgba } from './colormap';
import { timeToX, type TimelineView } from './geometry';

/** Colours a track is painted with (read from the theme tokens). */
export interface TrackPalette {
  bg: string;
  wave: string;
  token: string;
  tokenText: string;
  mask: string;
  text: string;
  textDim: string;
  accent: string;
  border: string;
}

/** Height of the reconstruction-error strip at the bottom of a track. */
export const STRIP_HEIGHT = 10;

/** Frame data of one modality of a clip. */
export interface TrackFrames {
  count: number;
  spans: Float32Array;
  intensity: Float32Array;
}

/** Paints the track background and per-second grid lines. */
export function drawBackground(ctx: CanvasRenderingContext2D, view: TimelineView, h: number, p: TrackPalette, gridStep: number): void {
  ctx.fillStyle = p.bg;
  ctx.fillRect(0, 0, view.width, h);
  ctx.strokeStyle = p.border;
  ctx.lineWidth = 1;
  ctx.beginPath();
  const first = Math.ceil(view.start / gridStep) * gridStep;
  for (let t = first; t <= view.duration; t += gridStep) {
    const x = Math.round(timeToX(view, t)) + 0.5;
    if (x > view.width) break;
    ctx.moveTo(x, 0);
    ctx.lineTo(x, h);
  }
  ctx.stroke();
}

/** Paints tokens as boxes at their time spans with their text when it fits. */
export function drawTokens(ctx: CanvasRenderingContext2D, view: TimelineView, h: number, tokens: readonly string[], frames: TrackFrames, p: TrackPalette): void {
  const top = 8;
  const boxH = h - STRIP_HEIGHT - 14;
  ctx.font = '12px Inter, "Segoe UI", system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (let i = 0; i < frames.count; i++) {
    const x0 = timeToX(view, frames.spans[2 * i]);
    const x1 = timeToX(view, frames.spans[2 * i + 1]);
    if (x1 < 0 || x0 > view.width) continue;
    const w = Math.max(1, x1 - x0 - 2);
    const special = /^\[.*\]$/.test(tokens[i] ?? '');
    ctx.globalAlpha = special ? 0.45 : 0.6 + 0.4 * (frames.intensity[i] ?? 1);
    ctx.fillStyle = p.token;
    roundRect(ctx, x0 + 1, top, w, boxH, 3);
    ctx.fill();
    ctx.globalAlpha = 1;
    const text = (tokens[i] ?? '').replace(/^##/, '');
    if (w > 14) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0 + 3, top, w - 4, boxH);
      ctx.clip();
      ctx.fillStyle = special ? p.textDim : p.tokenText;
      ctx.fillText(text, x0 + 5, top + boxH / 2);
      ctx.restore();
    }
  }
}

/** Paints per-frame intensity as a mirrored envelope (waveform style) around the middle of the track, or of a band [top, bottom]. */
export function drawIntensity(ctx: CanvasRenderingContext2D, view: TimelineView, h: number, frames: TrackFrames, p: TrackPalette, band?: { top: number; bottom: number }): void {
  const mid = band ? (band.top + band.bottom) / 2 : (h - STRIP_HEIGHT) / 2;
  const amp = band ? (band.bottom - band.top) / 2 - 1 : mid - 6;
  ctx.fillStyle = p.wave;
  for (let i = 0; i < frames.count; i++) {
    const x0 = timeToX(view, frames.spans[2 * i]);
    const x1 = timeToX(view, frames.spans[2 * i + 1]);
    if (x1 < 0 || x0 > view.width) continue;
    const v = Math.max(0.02, Math.min(1, frames.intensity[i] ?? 0));
    const w = Math.max(1, x1 - x0 - (x1 - x0 > 4 ? 1 : 0));
    ctx.fillRect(x0, mid - v * amp, w, 2 * v * amp);
  }
}

/** Paints the mask segments (hatched), the selected one outlined, or the whole track when masked whole. */
export function drawMasks(ctx: CanvasRenderingContext2D, view: TimelineView, h: number, mask: ModalityMask, selected: number, p: TrackPalette): void {
  const bodyH = h - STRIP_HEIGHT;
  const paint = (x0: number, x1: number, isSelected: boolean): void => {
    ctx.fillStyle = rgbaOf(p.mask, 0.26);
    ctx.fillRect(x0, 0, x1 - x0, bodyH);
    hatch(ctx, x0, x1, bodyH, rgbaOf(p.mask, 0.35));
    ctx.fillStyle = p.mask;
    ctx.fillRect(x0, 0, 2, bodyH);
    ctx.fillRect(x1 - 2, 0, 2, bodyH);
    if (isSelected) {
      ctx.strokeStyle = p.text;
      ctx.lineWidth = 2;
      ctx.strokeRect(x0 + 1, 1, Math.max(0, x1 - x0 - 2), bodyH - 2);
    }
  };
  if (mask.whole) {
    paint(0, view.width, false);
    label(ctx, 'whole modality masked', view.width / 2, bodyH / 2, p);
  }
  mask.segments.forEach((s, i) => {
    const x0 = timeToX(view, s.start);
    const x1 = timeToX(view, s.end);
    if (x1 >= 0 && x0 <= view.width) paint(x0, x1, i === selected);
  });
}

/**
 * Paints the per-bin reconstruction error as a strip along the bottom: bin k spans
 * [k/t, (k+1)/t] of the clip; colour = error on the shared scale [0, errorMax]; bins the mask
 * touched get a bright top edge so the eye finds where the model filled in.
 */
export function drawReconStrip(ctx: CanvasRenderingContext2D, view: TimelineView, h: number, error: Float32Array, touched: Uint8Array, errorMax: number, p: TrackPalette): void {
  const t = error.length;
  const y = h - STRIP_HEIGHT;
  for (let k = 0; k < t; k++) {
    const x0 = timeToX(view, (k / t) * view.duration);
    const x1 = timeToX(view, ((k + 1) / t) * view.duration);
    if (x1 < 0 || x0 > view.width) continue;
    ctx.fillStyle = rgba(sequentialColour(error[k], 0, errorMax), touched[k] ? 0.9 : 0.3);
    ctx.fillRect(x0, y, Math.max(1, x1 - x0 - 1), STRIP_HEIGHT);
    if (touched[k]) {
      ctx.fillStyle = p.mask;
      ctx.fillRect(x0, y - 2, Math.max(1, x1 - x0 - 1), 2);
    }
  }
}

function label(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, p: TrackPalette): void {
  ctx.font = '600 12px Inter, "Segoe UI", system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const w = ctx.measureText(text).width + 16;
  ctx.fillStyle = p.bg;
  ctx.globalAlpha = 0.85;
  roundRect(ctx, x - w / 2, y - 11, w, 22, 11);
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.fillStyle = p.mask;
  ctx.fillText(text, x, y);
  ctx.textAlign = 'start';
}

function hatch(ctx: CanvasRenderingContext2D, x0: number, x1: number, h: number, colour: string): void {
  ctx.save();
  ctx.beginPath();
  ctx.rect(x0, 0, x1 - x0, h);
  ctx.clip();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1;
  ctx.beginPath();
  const start = Math.floor(x0 / 8) * 8 - h;
  for (let x = start; x < x1; x += 8) {
    ctx.moveTo(x, h);
    ctx.lineTo(x + h, 0);
  }
  ctx.stroke();
  ctx.restore();
}

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.roundRect(x, y, w, h, Math.min(r, w / 2, h / 2));
}

/** A CSS hex colour (#rrggbb) with alpha; other forms pass through unchanged. */
export function rgbaOf(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) return hex;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}
