/**
 * The compute protocol: how the engine thread runs a model's compute somewhere else (the
 * desktop's hidden compute window, on Chromium's WebGPU or threaded WASM). Every message is ONE
 * binary frame of the wire codec (typed arrays as raw bytes), so each hop (engine thread ->
 * Electron main -> window) moves an opaque buffer and never parses it. Maps (weights, optimiser
 * moments) travel as `{ $map: [[key, value], ...] }`, and non-finite numbers as strings, because
 * the codec's header is JSON. Pure: no Node, no Electron, no tfjs (it runs in the page too).
 */
import type { PerModality, SplitData } from '#contract/dataset';
import type { ErrorInfo } from '#contract/errors';
import type { Ablation, ModelKind, TrainConfig } from '#contract/model';
import type { BackendInfo } from '#contract/worker-protocol';
import { decodeMessage, encodeMessage } from '#contract/wire-codec';
import type { ModelBatch } from '../model/batch';
import type { WeightData } from '../model/params';
import type { ModelConfigJson, StepInput, TrainerState } from '../model/sentiment-model';

/** A request from the engine thread to the compute page; `model` / `trainer` are ids the engine picks. */
export type ComputeRequest =
  | { op: 'create'; model: number; kind: ModelKind; config: ModelConfigJson; seed: number }
  | { op: 'exportWeights'; model: number }
  | { op: 'importWeights'; model: number; weights: Map<string, WeightData> }
  | { op: 'predict'; model: number; batch: ModelBatch }
  | { op: 'score'; model: number; batch: ModelBatch; ablations?: readonly Ablation[] }
  | { op: 'trainer'; model: number; trainer: number; train: TrainConfig; trainSize: number }
  | { op: 'step'; trainer: number; input: StepInput }
  | { op: 'endEpoch'; trainer: number; epoch: number }
  | { op: 'exportState'; trainer: number }
  | { op: 'importState'; trainer: number; state: TrainerState }
  /** DAR's explain of one clip (`clip`: a split of that clip alone, `key` names it so mask edits reuse its explainer). */
  | { op: 'explain'; model: number; key: string; clip: SplitData; masks: PerModality<Uint8Array> }
  | { op: 'dispose'; model?: number; trainer?: number };

/** The operation names of ComputeRequest. */
export type ComputeOp = ComputeRequest['op'];

/** What travels from the engine: one request and its id. */
export interface ComputeCall {
  id: number;
  request: ComputeRequest;
}

/** What travels to the engine: an answer, or news about the compute page itself. */
export type ComputeMessage =
  /** `ms`: how long the page computed (what a bench or the explain rung choice compares). */
  | { kind: 'answer'; id: number; ok: true; value: unknown; ms?: number }
  | { kind: 'answer'; id: number; ok: false; error: ErrorInfo }
  /** The page's backend is up (its rung, adapter and threads); sent once, before any answer. */
  | { kind: 'ready'; info: BackendInfo }
  /** The page cannot compute any more (GPU device lost, renderer gone); every call in flight fails. */
  | { kind: 'lost'; reason: string };

/** One end of a frame pipe (a MessagePort, a relay, a test's in-process pair). */
export interface ComputeLink {
  /** Sends one frame; the link may take (transfer) its buffer. */
  post(frame: Uint8Array): void;
  /** Listens to frames from the other end. */
  onFrame(listener: (frame: Uint8Array) => void): void;
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Maps become `{ $map: entries }` and NaN / ±Infinity strings, recursively (typed arrays kept). */
export function pack(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $num: String(value) };
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [pack(k), pack(v)]) };
  if (Array.isArray(value)) return value.map(pack);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, pack(v)]));
}

/** The inverse of {@link pack}. */
export function unpack(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map(unpack);
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.$map)) return new Map((record.$map as [unknown, unknown][]).map(([k, v]) => [unpack(k), unpack(v)]));
  if (typeof record.$num === 'string' && record.$num in NON_FINITE) return NON_FINITE[record.$num];
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unpack(v)]));
}

/** One frame for a message of either direction. */
export function encodeCompute(message: ComputeCall | ComputeMessage): Uint8Array {
  return encodeMessage(pack(message));
}

/** The message of a frame (the sender is trusted code of ours; the shape is checked by the reader). */
export function decodeCompute(frame: Uint8Array | ArrayBuffer): unknown {
  return unpack(decodeMessage(frame));
}

/** The buffers of a frame, for a postMessage transfer list. */
export function transferOf(frame: Uint8Array): ArrayBuffer[] {
  return frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength && frame.buffer instanceof ArrayBuffer ? [frame.buffer] : [];
}
