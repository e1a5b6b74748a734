/**
 * The library of the open dataset: every clip as a row, searchable by transcript and id and
 * sortable by label, prediction and error, fast on MOSEI's 22k clips (lower-case haystacks are
 * built once; a sort order is kept until the predictions change).
 */
import type { ClipPage, ClipQuery, ClipRow } from '#contract/api';
import type { Dataset, SplitName } from '#contract/dataset';
import { clipDuration } from './clip-detail';

const SPLITS: readonly SplitName[] = ['train', 'valid', 'test'];

/** Complete-input predictions per split (NaN = not computed yet), or null without a model. */
export type SplitPredictions = Record<SplitName, Float32Array> | null;

type Row = Omit<ClipRow, 'prediction'>;

/** All clips of a dataset in library order (train, valid, test; by index within a split). */
export class ClipLibrary {
  private readonly rows: Row[] = [];
  private readonly haystacks: string[] = [];
  private sorted: { key: string; order: Int32Array } | null = null;

  constructor(dataset: Dataset) {
    for (const split of SPLITS) {
      const data = dataset.splits[split];
      for (let index = 0; index < data.n; index++) {
        const id = data.ids[index];
        const text = data.rawText[index] ?? '';
        this.rows.push({ split, index, id, text, label: data.labels[index], hasVideo: !!data.videos?.[index], duration: clipDuration(data, index) });
        this.haystacks.push(`${id}\n${text}`.toLowerCase());
      }
    }
  }

  /** Number of clips in the dataset. */
  get size(): number {
    return this.rows.length;
  }

  /** One page of the rows matching the query (every whitespace-separated term must occur). */
  query(q: ClipQuery, predictions: SplitPredictions, version: number): Omit<ClipPage, 'predicting'> {
    const terms = (q.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const split = q.split ?? 'all';
    const order = this.order(q.sort ?? 'index', !!q.descending, predictions, version);
    const rows: ClipRow[] = [];
    let total = 0;
    for (const r of order) {
      const row = this.rows[r];
      if (split !== 'all' && row.split !== split) continue;
      if (terms.length && !terms.every((t) => this.haystacks[r].includes(t))) continue;
      if (total >= q.offset && rows.length < q.limit) rows.push({ ...row, prediction: predictionOf(row, predictions) });
      total++;
    }
    return { total, rows };
  }

  private order(sort: NonNullable<ClipQuery['sort']>, descending: boolean, predictions: SplitPredictions, version: number): Int32Array {
    const key = `${sort}/${descending}/${sort === 'index' || sort === 'label' ? 0 : version}`;
    if (this.sorted?.key === key) return this.sorted.order;
    const value = (r: number): number | null => {
      const row = this.rows[r];
      if (sort === 'index') return r;
      if (sort === 'label') return row.label;
      const p = predictionOf(row, predictions);
      if (p === null) return null;
      return sort === 'prediction' ? p : Math.abs(p - row.label);
    };
    const values = Array.from({ length: this.rows.length }, (_, r) => value(r));
    const order = Int32Array.from({ length: this.rows.length }, (_, r) => r);
    const sign = descending ? -1 : 1;
    // Clips without a value go last either way; ties keep library order.
    order.sort((x, y) => {
      const a = values[x];
      const b = values[y];
      if (a === null || b === null) return a === b ? x - y : a === null ? 1 : -1;
      return a === b ? x - y : sign * (a - b);
    });
    this.sorted = { key, order };
    return order;
  }
}

function predictionOf(row: Row, predictions: SplitPredictions): number | null {
  const p = predictions?.[row.split][row.index];
  return p === undefined || Number.isNaN(p) ? null : p;
}
