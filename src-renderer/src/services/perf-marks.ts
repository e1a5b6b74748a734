/**
 * Performance marks for "mask edit -> new prediction painted", read by `npm run bench:ui`
 * (speed lives in benchmarks, never in tests). Cheap enough to stay on in the product.
 */

const EDIT = 'dar:edit:';

/** Marks the moment an edit asked for mask version `version`. */
export function markEdit(version: number): void {
  if (typeof performance === 'undefined' || !performance.mark) return;
  performance.mark(EDIT + version);
}

/** Measures edit -> paint once the prediction of `version` is on screen (next frame after the DOM update). */
export function markPainted(version: number): void {
  if (typeof performance === 'undefined' || !performance.getEntriesByName) return;
  const name = EDIT + version;
  if (performance.getEntriesByName(name, 'mark').length === 0) return;
  requestAnimationFrame(() => {
    performance.measure('dar:edit-to-paint', name);
    performance.clearMarks(name);
  });
}

function measureSince(name: string, startMs: number): void {
  if (typeof performance === 'undefined' || !performance.measure) return;
  performance.measure(name, { start: startMs, end: performance.now() });
}

/** Records one explain round trip (request sent -> answer decoded), to split host time from paint time. */
export function measureRoundTrip(startMs: number): void {
  measureSince('dar:explain-roundtrip', startMs);
}

/** Records when an explain preview (the predictions alone) arrived after its request was sent. */
export function measurePreview(startMs: number): void {
  measureSince('dar:explain-preview', startMs);
}
