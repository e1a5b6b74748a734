/**
 * Where the workbench's single-clip explains run on the desktop: on the engine thread (WASM) or
 * in the compute window (WebGPU or threaded WASM), whichever answered the first explain faster
 * (engine/infer/explain-rung.ts). The window gets a twin of the open model with its weights; a
 * new model starts a new measurement; a lost window leaves the engine thread's route.
 */
import type { PerModality, SplitData } from '#contract/dataset';
import type { ClipExplanation } from '#contract/explain';
import { FasterRung } from '../../engine/infer/explain-rung';
import type { DarModel } from '../../engine/model/dar-model';
import type { RemoteModel } from '../../engine/model/remote-model';
import type { ComputeRung } from './compute-rung';

/** One explain: the clip alone (normalised), its key, the frame masks, and the engine thread's own way to answer. */
export interface ExplainArgs {
  key: string;
  clip: SplitData;
  masks: PerModality<Uint8Array>;
  here: () => Promise<ClipExplanation>;
}

/** Routes the workbench's explains between the engine thread and the compute window. */
export class ExplainRouting {
  private model: DarModel | null = null;
  private remote: RemoteModel | null = null;
  private rung: FasterRung<ExplainArgs, ClipExplanation> | null = null;

  constructor(
    private readonly compute: ComputeRung,
    /** The engine thread's rung label. */
    private readonly hereLabel: () => Promise<string>,
  ) {}

  /** The measured choice in words (BackendInfo.explainRung), or undefined before the first explain with a window. */
  describe(): string | undefined {
    const c = this.rung?.choice;
    if (!c) return undefined;
    const times = Object.entries(c.ms).map(([name, ms]) => `${name}: ${Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : 'failed'}`);
    return `${c.name}${times.length ? ` (${times.join('; ')})` : ''}`;
  }

  /** The compute window's state in words (BackendInfo.compute), or undefined without a window. */
  computeState(): string | undefined {
    return this.compute.describe();
  }

  /** Explains on the faster rung; without a compute window, simply here. */
  async explain(model: DarModel, args: ExplainArgs): Promise<ClipExplanation> {
    if (!this.compute.info && !this.rung) return args.here();
    if (model !== this.model) await this.reset(model);
    return this.rung!.run(args);
  }

  private async reset(model: DarModel): Promise<void> {
    this.remote?.dispose();
    this.model = model;
    this.remote = await this.compute.twin(model);
    const here = { name: `${await this.hereLabel()} (engine thread)`, run: (a: ExplainArgs) => a.here() };
    const remote = this.remote;
    const there = remote && { name: `${this.compute.info?.label ?? 'compute window'} (compute window)`, run: (a: ExplainArgs) => remote.explain(a.key, a.clip, a.masks) };
    this.rung = new FasterRung(there ? [here, there] : [here]);
  }

  /** Frees the window's twin. */
  dispose(): void {
    this.remote?.dispose();
    this.remote = null;
    this.rung = null;
    this.model = null;
  }
}
