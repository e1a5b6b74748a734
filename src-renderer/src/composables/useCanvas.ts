/**
 * A canvas that fills its parent's width at device-pixel resolution and redraws at most once
 * per frame. `draw` gets a context already scaled to CSS pixels.
 */
import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';

/** Options of useCanvas. */
export interface CanvasOptions {
  /** Paints the canvas (CSS pixel coordinates). */
  draw: (ctx: CanvasRenderingContext2D, width: number, height: number) => void;
  /** Fixed CSS height in pixels; when absent the parent's height is used. */
  height?: number;
}

/** Binds a canvas element, tracks its size and schedules redraws. */
export function useCanvas(options: CanvasOptions) {
  const canvas = shallowRef<HTMLCanvasElement | null>(null);
  const width = ref(0);
  const height = ref(options.height ?? 0);
  let frame = 0;
  let observer: ResizeObserver | null = null;

  function paint(): void {
    frame = 0;
    const el = canvas.value;
    if (!el || width.value <= 0 || height.value <= 0) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(width.value * dpr);
    const h = Math.round(height.value * dpr);
    if (el.width !== w || el.height !== h) {
      el.width = w;
      el.height = h;
    }
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width.value, height.value);
    options.draw(ctx, width.value, height.value);
  }

  /** Schedules a redraw on the next animation frame (coalesced). */
  function requestDraw(): void {
    if (!frame) frame = requestAnimationFrame(paint);
  }

  function measure(): void {
    const parent = canvas.value?.parentElement;
    if (!parent) return;
    width.value = parent.clientWidth;
    if (options.height === undefined) height.value = parent.clientHeight;
    requestDraw();
  }

  onMounted(() => {
    const parent = canvas.value?.parentElement;
    if (!parent) return;
    observer = new ResizeObserver(measure);
    observer.observe(parent);
    measure();
  });
  onBeforeUnmount(() => {
    observer?.disconnect();
    if (frame) cancelAnimationFrame(frame);
  });

  return { canvas, width, height, requestDraw, paintNow: paint };
}
