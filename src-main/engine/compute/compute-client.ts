/**
 * The engine thread's side of the compute protocol: numbered calls over a ComputeLink, answers
 * matched by id, and one terminal state. A `lost` message (the window crashed, the GPU device
 * was lost) fails every call in flight and every later one with COMPUTE_LOST, so a training run
 * stops at a step boundary and can fall back to the engine thread's own backend.
 */
import type { BackendInfo } from '#contract/worker-protocol';
import { DarError } from '../errors';
import type { ComputeLink, ComputeMessage, ComputeRequest } from './compute-protocol';
import { decodeCompute, encodeCompute } from './compute-protocol';

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

/** Calls the compute page and knows whether it is still there. */
export class ComputeClient {
  private readonly pending = new Map<number, Pending>();
  private readonly lostListeners = new Set<(reason: string) => void>();
  private nextId = 1;
  private lostReason: string | null = null;
  private readyInfo: BackendInfo | null = null;
  private readonly readyWaiters: Pending[] = [];
  private computeMs: number | null = null;

  constructor(private readonly link: ComputeLink) {
    link.onFrame((frame) => this.receive(frame));
  }

  /** The page's backend once it said it is ready; rejects with COMPUTE_LOST if it is lost first. */
  ready(): Promise<BackendInfo> {
    if (this.readyInfo) return Promise.resolve(this.readyInfo);
    if (this.lostReason !== null) return Promise.reject(this.lostError());
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve: resolve as (v: unknown) => void, reject }));
  }

  /** The page's backend, or null while it has not said. */
  get info(): BackendInfo | null {
    return this.readyInfo;
  }

  /** Why the page was lost, or null while it computes. */
  get lost(): string | null {
    return this.lostReason;
  }

  /** Calls `listener` once when the page is lost (at once if it already is). */
  onLost(listener: (reason: string) => void): void {
    if (this.lostReason !== null) listener(this.lostReason);
    else this.lostListeners.add(listener);
  }

  /** How long the page computed the last answer it sent (ms; transfers not counted). */
  get lastComputeMs(): number | null {
    return this.computeMs;
  }

  /** Sends one request; resolves to its answer's value. */
  call<T>(request: ComputeRequest): Promise<T> {
    if (this.lostReason !== null) return Promise.reject(this.lostError());
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.link.post(encodeCompute({ id, request }));
    });
  }

  /** Marks the page lost (a message from it, or the shell saw its process go). */
  markLost(reason: string): void {
    if (this.lostReason !== null) return;
    this.lostReason = reason;
    const err = this.lostError();
    for (const p of [...this.pending.values(), ...this.readyWaiters.splice(0)]) p.reject(err);
    this.pending.clear();
    for (const l of this.lostListeners) l(reason);
    this.lostListeners.clear();
  }

  private lostError(): DarError {
    return new DarError('COMPUTE_LOST', `the compute window stopped: ${this.lostReason}`);
  }

  private receive(frame: Uint8Array): void {
    let message: ComputeMessage;
    try {
      message = decodeCompute(frame) as ComputeMessage;
    } catch (err) {
      return this.markLost(`it sent a malformed frame (${err instanceof Error ? err.message : String(err)})`);
    }
    if (message.kind === 'ready') {
      this.readyInfo = message.info;
      for (const w of this.readyWaiters.splice(0)) w.resolve(message.info);
    } else if (message.kind === 'lost') this.markLost(message.reason);
    else if (message.kind === 'answer') {
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) this.computeMs = message.ms ?? null;
      if (message.ok) p?.resolve(message.value);
      else p?.reject(new DarError(message.error.code, message.error.message));
    }
  }
}
