/**
 * The pure part of the language extractor: which words each BERT pass reads, and how a pass's
 * word-piece rows become one row per word. No model here, so it is tested on plain arrays.
 *
 * A transcript longer than BERT's 512 positions is read in overlapping windows of whole words
 * (each with its own [CLS] and [SEP]); every word takes its row from the window where it sits
 * furthest from an edge, so it always has about a quarter window of context on each side.
 * Truncating instead would drop words and break "one row per word".
 */

/** One BERT pass over words [first, end); it answers for the words whose owner it is. */
export interface WordWindow {
  first: number;
  end: number;
}

/** The passes over a transcript and, for each word, the pass whose row it keeps. */
export interface WindowPlan {
  windows: WordWindow[];
  /** owner[w]: the index in `windows` that word w takes its row from. */
  owner: Int32Array;
}

/** Piece offsets: starts[w] is where word w's pieces begin, starts[n] the total. */
function pieceStarts(counts: readonly number[]): number[] {
  const starts = [0];
  for (const c of counts) starts.push(starts[starts.length - 1] + c);
  return starts;
}

/** Windows of at most `maxPieces` pieces, each starting about half a window after the last. */
function windowsOver(starts: number[], maxPieces: number): WordWindow[] {
  const n = starts.length - 1;
  const windows: WordWindow[] = [];
  let first = 0;
  for (;;) {
    let end = first + 1;
    while (end < n && starts[end + 1] - starts[first] <= maxPieces) end++;
    windows.push({ first, end });
    if (end >= n) return windows;
    let next = first + 1;
    while (next < end && starts[next] - starts[first] < maxPieces / 2) next++;
    first = next;
  }
}

/**
 * Plans the passes for words of `counts` pieces each (every count in 1..maxPieces): one pass
 * when they fit, else half-overlapping windows; each word is owned by the window where its
 * middle is furthest from both edges (ties go to the earlier window).
 */
export function planWindows(counts: readonly number[], maxPieces: number): WindowPlan {
  if (!(maxPieces >= 1)) throw new RangeError(`maxPieces must be at least 1, got ${maxPieces}`);
  const starts = pieceStarts(counts);
  const n = counts.length;
  const windows = starts[n] <= maxPieces ? [{ first: 0, end: n }] : windowsOver(starts, maxPieces);
  const owner = new Int32Array(n);
  const best = new Float64Array(n).fill(-Infinity);
  windows.forEach((win, k) => {
    for (let w = win.first; w < win.end; w++) {
      const mid = (starts[w] + starts[w + 1]) / 2;
      const margin = Math.min(mid - starts[win.first], starts[win.end] - mid);
      if (margin > best[w]) {
        best[w] = margin;
        owner[w] = k;
      }
    }
  });
  return { windows, owner };
}

/** Writes into row `outRow` of `out` the mean of rows [from, from + count) of `hidden` ([*, dim]). */
export function meanRowsInto(out: Float32Array, outRow: number, hidden: Float32Array, from: number, count: number, dim: number): void {
  const o = outRow * dim;
  for (let j = 0; j < dim; j++) out[o + j] = 0;
  for (let r = from; r < from + count; r++) {
    const h = r * dim;
    for (let j = 0; j < dim; j++) out[o + j] += hidden[h + j];
  }
  for (let j = 0; j < dim; j++) out[o + j] /= count;
}

/**
 * Pools one pass into the transcript's rows ([CLS], words, [SEP]): `hidden` is the pass's
 * last hidden state ([CLS], the pieces of words first..end-1, [SEP]); only the words this
 * window owns are written, plus [CLS] from the first window and [SEP] from the last.
 */
export function poolWindow(
  out: Float32Array,
  hidden: Float32Array,
  dim: number,
  counts: readonly number[],
  plan: WindowPlan,
  k: number,
): void {
  const { first, end } = plan.windows[k];
  const n = counts.length;
  if (k === 0) out.set(hidden.subarray(0, dim), 0);
  let row = 1;
  for (let w = first; w < end; w++) {
    if (plan.owner[w] === k) meanRowsInto(out, w + 1, hidden, row, counts[w], dim);
    row += counts[w];
  }
  if (k === plan.windows.length - 1) out.set(hidden.subarray(row * dim, (row + 1) * dim), (n + 1) * dim);
}
