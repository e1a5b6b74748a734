/**
 * Decodes a filmstrip's JPEG bytes into an ImageBitmap for the visual track's canvas, once per
 * filmstrip (the media store keeps filmstrips per clip, so a reopened clip decodes only again
 * here). Stale decodes are dropped and every bitmap is closed when replaced or on dispose.
 */
import { onScopeDispose, shallowRef, watch, type Ref } from 'vue';
import type { ClipFilmstrip } from '#contract/media';
import type { FilmstripImage } from '../timeline/draw-media';

/** The decoded filmstrip of `source` (null while decoding, without one, or when it does not decode). */
export function useFilmstripImage(source: Ref<ClipFilmstrip | null>) {
  const decoded = shallowRef<FilmstripImage | null>(null);
  let serial = 0;

  function release(): void {
    const img = decoded.value?.image;
    if (typeof ImageBitmap !== 'undefined' && img instanceof ImageBitmap) img.close();
    decoded.value = null;
  }

  watch(
    source,
    async (strip) => {
      const mine = ++serial;
      release();
      if (!strip || typeof createImageBitmap !== 'function') return;
      // A fresh copy: the Blob must own an ArrayBuffer, not a view into a shared message buffer.
      const bytes = new Uint8Array(strip.image);
      const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' })).catch(() => null);
      if (!bitmap) return;
      if (mine !== serial) return void bitmap.close();
      decoded.value = { image: bitmap, count: strip.count, tileWidth: strip.tileWidth, tileHeight: strip.tileHeight, duration: strip.duration };
    },
    { immediate: true },
  );
  onScopeDispose(() => {
    serial++;
    release();
  });
  return decoded;
}
