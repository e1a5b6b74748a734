/**
 * The clip's media on the timeline tracks: the audio waveform (min/max peaks per pixel column)
 * on the acoustic track and a filmstrip of thumbnails on the visual track. Placement is pure
 * (peakColumns, filmstripSlots, table-tested); the draw functions only turn it into pixels and
 * return how much they drew (the tracks expose it as data attributes).
 */
import { rgbaOf, STRIP_HEIGHT, type TrackPalette } from './draw-track';
import { timeToX, type TimelineView } from './geometry';

/** The peaks the waveform is drawn from (contract Waveform without its sample rate). */
export interface WaveformPeaks {
  buckets: number;
  min: Float32Array;
  max: Float32Array;
  /** Seconds the buckets span evenly. */
  duration: number;
}

/** A decoded filmstrip: the sprite and how its tiles map to time. */
export interface FilmstripImage {
  image: CanvasImageSource;
  count: number;
  tileWidth: number;
  tileHeight: number;
  /** Seconds the tiles span evenly (tile i covers [i, i + 1] * duration / count). */
  duration: number;
}

/** One pixel column of the waveform: its x and the lowest/highest sample under it. */
export interface PeakColumn {
  x: number;
  lo: number;
  hi: number;
}

/** Per visible pixel column inside the audio, the min/max of the buckets it covers (at least one). */
export function peakColumns(view: TimelineView, w: WaveformPeaks): PeakColumn[] {
  const out: PeakColumn[] = [];
  if (w.buckets <= 0 || w.duration <= 0) return out;
  const perSec = w.buckets / w.duration;
  const xEnd = Math.min(view.width, Math.ceil(timeToX(view, w.duration)));
  for (let x = Math.max(0, Math.floor(timeToX(view, 0))); x < xEnd; x++) {
    const t0 = view.start + x / view.pxPerSec;
    const k0 = Math.max(0, Math.min(w.buckets - 1, Math.floor(t0 * perSec)));
    const k1 = Math.max(k0 + 1, Math.min(w.buckets, Math.ceil((t0 + 1 / view.pxPerSec) * perSec)));
    let lo = w.min[k0];
    let hi = w.max[k0];
    for (let k = k0 + 1; k < k1; k++) {
      if (w.min[k] < lo) lo = w.min[k];
      if (w.max[k] > hi) hi = w.max[k];
    }
    out.push({ x, lo, hi });
  }
  return out;
}

/** The loudest absolute sample (1 when silent), so quiet recordings still fill the track. */
export function peakLevel(w: WaveformPeaks): number {
  let m = 0;
  for (let k = 0; k < w.buckets; k++) m = Math.max(m, Math.abs(w.min[k]), Math.abs(w.max[k]));
  return m > 0 ? m : 1;
}

/** Paints the waveform around the track's middle, scaled to the clip's loudest sample; returns the columns drawn. */
export function drawWaveform(ctx: CanvasRenderingContext2D, view: TimelineView, h: number, w: WaveformPeaks, p: TrackPalette): number {
  const mid = (h - STRIP_HEIGHT) / 2;
  const amp = (mid - 4) / peakLevel(w);
  const columns = peakColumns(view, w);
  ctx.fillStyle = waveformColour(p);
  for (const c of columns) {
    const top = mid - c.hi * amp;
    ctx.fillRect(c.x, top, 1, Math.max(1, (c.hi - c.lo) * amp));
  }
  return columns.length;
}

/** The waveform's colour: the theme's text, faint, so the features' envelope stays in front. */
export function waveformColour(p: TrackPalette): string {
  return rgbaOf(p.text, 0.38);
}

/** Where one thumbnail goes: x and width on the track, and which tile of the sprite. */
export interface FilmSlot {
  x: number;
  width: number;
  tile: number;
}

/**
 * Thumbnails side by side at their natural aspect, fixed to the clip's time axis (scrolling moves
 * them, zooming in shows the frames between): slot j covers [j, j + 1] * slotWidth of the whole
 * clip's pixels and shows the tile nearest its middle.
 */
export function filmstripSlots(view: TimelineView, bodyHeight: number, s: Omit<FilmstripImage, 'image'>): FilmSlot[] {
  const out: FilmSlot[] = [];
  if (s.count <= 0 || s.duration <= 0 || s.tileHeight <= 0) return out;
  const slot = Math.max(8, (bodyHeight * s.tileWidth) / s.tileHeight);
  const left = view.start * view.pxPerSec;
  const clipEnd = Math.min(view.width, timeToX(view, s.duration));
  for (let j = Math.floor(left / slot); j * slot - left < clipEnd; j++) {
    const x = j * slot - left;
    const mid = (j + 0.5) * (slot / view.pxPerSec);
    const tile = Math.max(0, Math.min(s.count - 1, Math.floor((Math.min(mid, s.duration) / s.duration) * s.count)));
    out.push({ x, width: Math.min(slot, clipEnd - x), tile });
  }
  return out;
}

/** Share of a track's body the filmstrip takes (the top); the features' envelope keeps the rest. */
export const FILMSTRIP_SHARE = 0.6;

/** The band under the filmstrip where the visual features are drawn. */
export function belowFilmstrip(h: number): { top: number; bottom: number } {
  const bodyH = h - STRIP_HEIGHT;
  return { top: Math.round(bodyH * FILMSTRIP_SHARE) + 1, bottom: bodyH - 1 };
}

/** Paints the filmstrip along the top of the track; returns the thumbnails drawn. */
export function drawFilmstrip(ctx: CanvasRenderingContext2D, view: TimelineView, h: number, s: FilmstripImage, p: TrackPalette): number {
  const bandH = Math.round((h - STRIP_HEIGHT) * FILMSTRIP_SHARE);
  const slots = filmstripSlots(view, bandH, s);
  const full = Math.max(8, (bandH * s.tileWidth) / s.tileHeight);
  ctx.save();
  ctx.globalAlpha = 0.92;
  for (const slot of slots) {
    const srcW = (slot.width / full) * s.tileWidth;
    ctx.drawImage(s.image, slot.tile * s.tileWidth, 0, srcW, s.tileHeight, slot.x, 0, slot.width, bandH);
  }
  ctx.globalAlpha = 1;
  ctx.fillStyle = p.bg;
  // Thin gaps between frames, as in a video editor, so tiles read as separate pictures.
  for (const slot of slots) ctx.fillRect(Math.round(slot.x), 0, 1, bandH);
  ctx.fillRect(0, bandH, view.width, 1);
  ctx.restore();
  return slots.length;
}

/** A small caption in the track's top-right corner naming an extra layer (e.g. "audio"). */
export function drawLayerTag(ctx: CanvasRenderingContext2D, view: TimelineView, text: string, colour: string, p: TrackPalette): void {
  ctx.save();
  ctx.font = '600 10px Inter, "Segoe UI", system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const w = ctx.measureText(text).width + 10;
  const x = view.width - w - 6;
  ctx.globalAlpha = 0.85;
  ctx.fillStyle = p.bg;
  ctx.beginPath();
  ctx.roundRect(x, 4, w, 14, 7);
  ctx.fill();
  ctx.globalAlpha = 1;
  ctx.fillStyle = colour;
  ctx.fillText(text, x + 5, 11);
  ctx.restore();
}
