/**
 * The engine thread's side of the desktop's compute window: a ComputeClient on the port the
 * Electron main process relays, the model factory training uses (a RemoteModel while the page is
 * up, the engine's own model otherwise), and the fallback: a run whose page is lost mid-run
 * continues on this thread's backend from its last finished epoch (the resume sidecar), so
 * nothing the user made is lost. Never waits for the page: until it says ready, runs stay here.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ModelKind } from '#contract/model';
import type { BackendInfo } from '#contract/worker-protocol';
import { ComputeClient } from '../../engine/compute/compute-client';
import type { ComputeLink } from '../../engine/compute/compute-protocol';
import { transferOf } from '../../engine/compute/compute-protocol';
import { DarError } from '../../engine/errors';
import { createModel } from '../../engine/model/registry';
import { RemoteModel } from '../../engine/model/remote-model';
import type { ModelConfigJson, SentimentModel } from '../../engine/model/sentiment-model';

/** Builds a model for a run (the trainer's createModel). */
export type ModelFactory = (kind: ModelKind, config: ModelConfigJson, seed: number) => SentimentModel;

/** A worker_threads port as a compute link (frames arrive as Uint8Array; buffers are moved). */
export function portLink(port: Pick<MessagePort, 'postMessage' | 'on'>): ComputeLink {
  return {
    post: (frame) => port.postMessage(frame, transferOf(frame)),
    onFrame: (listener) => void port.on('message', (value: unknown) => {
      if (value instanceof Uint8Array) listener(value);
      else if (value instanceof ArrayBuffer) listener(new Uint8Array(value));
    }),
  };
}

/** What a run tells its owner when it leaves the compute window. */
export interface Fallback {
  reason: string;
}

/** The compute window as the engine thread sees it. */
export class ComputeRung {
  private readonly client: ComputeClient | null;

  constructor(link: ComputeLink | null) {
    this.client = link ? new ComputeClient(link) : null;
  }

  /** The page's backend while it computes; null without a window, before it is ready, or once lost. */
  get info(): BackendInfo | null {
    return this.client && this.client.lost === null ? this.client.info : null;
  }

  /** Why the page stopped, or null. */
  get lost(): string | null {
    return this.client?.lost ?? null;
  }

  /** The factory of one run: remote while the page is up (its twin built here), else local. */
  factory(): ModelFactory {
    const client = this.client;
    if (!client || !this.info) return createModel;
    return (kind, config, seed) => new RemoteModel(client, createModel(kind, config, seed), seed);
  }

  /** The compute window's state in words (BackendInfo.compute), or undefined without a window. */
  describe(): string | undefined {
    if (!this.client) return undefined;
    if (this.lost) return `lost: ${this.lost}`;
    return this.info ? this.info.label : 'starting';
  }

  /** A twin of `model` in the page with its current weights, or null while the page is not up. */
  async twin(model: SentimentModel): Promise<RemoteModel | null> {
    const factory = this.factory();
    if (factory === createModel) return null;
    const remote = factory(model.kind, model.config, 0) as RemoteModel;
    remote.params.importWeights(await model.params.exportWeights());
    return remote;
  }

  /**
   * Runs `run` with the page's factory; if the page is lost during it (COMPUTE_LOST), runs it
   * again here with `resume` set, after telling `onFallback` why. Other errors pass through.
   */
  async withFallback<T>(run: (factory: ModelFactory, resume: boolean) => Promise<T>, resume: boolean, onFallback: (f: Fallback) => void): Promise<T> {
    const factory = this.factory();
    if (factory === createModel) return run(factory, resume);
    try {
      return await run(factory, resume);
    } catch (err) {
      if (!(err instanceof DarError && err.code === 'COMPUTE_LOST')) throw err;
      onFallback({ reason: err.message });
      return run(createModel, true);
    }
  }
}
