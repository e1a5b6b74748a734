/**
 * Complete-input predictions for a whole dataset, computed in the background in small chunks
 * after a checkpoint opens. Between chunks the worker's event loop runs, so the studio's other
 * requests (an explain after a mask edit) are answered while the library fills in.
 */
import type { Dataset, SplitName } from '#contract/dataset';
import type { EngineEvent } from '#contract/worker-protocol';
import { applyNormaliser } from '../../engine/data/normaliser';
import type { Normaliser } from '../../engine/data/normaliser';
import { predictSplit } from '../../engine/infer/predict';
import type { SentimentModel } from '../../engine/model/sentiment-model';
import { ModelLeases } from './model-leases';
import { sliceSplit } from './split-slice';

const SPLITS: readonly SplitName[] = ['train', 'valid', 'test'];
/**
 * Time one chunk should take: short enough that a request arriving meanwhile waits little, long
 * enough to amortise a forward pass's fixed cost (about 12 ms on the demo model).
 */
const CHUNK_TARGET_MS = 40;
const MAX_CHUNK = 64;
/** While the user works (an explain per mask edit), the background waits in steps of this. */
const BUSY_WAIT_MS = 30;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** One background pass over a dataset; `values` fill in as chunks finish (NaN until then). */
export class BackgroundPredictions {
  readonly values: Record<SplitName, Float32Array>;
  readonly total: number;
  done = 0;
  /** Bumped after every chunk so cached sort orders know they are stale. */
  version = 0;
  running = true;
  private cancelled = false;

  constructor(
    private readonly dataset: Dataset,
    private readonly model: SentimentModel,
    private readonly normaliser: Normaliser,
    private readonly emit: (event: EngineEvent) => void,
    /** False while interactive requests are coming in: the background then gives way. */
    private readonly idle: () => boolean = () => true,
    /** Keeps the model alive while a chunk reads it (an open may replace it meanwhile). */
    private readonly leases: ModelLeases = new ModelLeases(),
  ) {
    this.values = { train: nanArray(dataset.splits.train.n), valid: nanArray(dataset.splits.valid.n), test: nanArray(dataset.splits.test.n) };
    this.total = SPLITS.reduce((s, k) => s + dataset.splits[k].n, 0);
  }

  /** Stops after the current chunk (retire the model through the leases: the chunk may still read it). */
  cancel(): void {
    this.cancelled = true;
    this.running = false;
  }

  /** Runs to the end (or until cancelled); failures are reported as a warning event. */
  async run(): Promise<void> {
    let size = 8;
    try {
      for (const name of SPLITS) {
        const split = this.dataset.splits[name];
        for (let start = 0; start < split.n; ) {
          await nextTurn();
          while (!this.idle() && !this.cancelled) await sleep(BUSY_WAIT_MS);
          if (this.cancelled) return;
          const end = Math.min(split.n, start + size);
          const began = performance.now();
          const chunk = applyNormaliser(sliceSplit(split, start, end), this.normaliser);
          const values = await this.leases.use(this.model, () => predictSplit(this.model, chunk, undefined, end - start));
          if (this.cancelled) return;
          this.values[name].set(values, start);
          const ms = performance.now() - began;
          size = Math.max(1, Math.min(MAX_CHUNK, Math.round((size * CHUNK_TARGET_MS) / Math.max(ms, 1))));
          this.done += end - start;
          this.version++;
          start = end;
          this.emit({ type: 'predict-progress', done: this.done, total: this.total });
        }
      }
    } catch (err) {
      this.emit({ type: 'log', level: 'warn', message: `background predictions stopped: ${err instanceof Error ? err.message : String(err)}` });
    } finally {
      this.running = false;
    }
  }
}

function nanArray(n: number): Float32Array {
  return new Float32Array(n).fill(Number.NaN);
}
