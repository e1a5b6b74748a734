/**
 * The worker's side of StudioExtractMethods (contract/extract.ts): the studio's "Import videos"
 * runs engine/extract's extractFolder in the background, in a thread of its own
 * (run-in-thread.ts), one import at a time, streaming `extract-progress` events; cancel stops
 * it between stages and keeps what was written (a later start with resume continues it).
 */
import type { ExtractJob, ExtractParams, ExtractReport, StudioExtractMethods } from '#contract/extract';
import type { EngineEvent } from '#contract/worker-protocol';
import { DarError, toErrorInfo } from '../../engine/errors';
import type { ExtractOptions } from '../../engine/extract/extract-folder';
import { object } from '../params';
import { runInThread } from './run-in-thread';

/** What ExtractService needs: events, and (for tests) how a run is done. */
export interface ExtractServiceDeps {
  emit(event: EngineEvent): void;
  /** The media cache for probes [a folder inside the output]. */
  cacheDir?: string;
  /** Runs one import [runInThread: extractFolder with the real extractors in a thread of its own]. */
  run?: (options: ExtractOptions) => Promise<ExtractReport>;
}

const MAX_PATH = 4096;
const PRESETS = ['mmsa-librosa', 'chsims'];

function path(o: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_PATH) throw new DarError('ARG_INVALID', `${key}: expected a folder path, got ${JSON.stringify(v)?.slice(0, 80)}`);
  return v.trim();
}

/** startExtract's params, checked field by field. */
export function extractParams(value: unknown): ExtractParams {
  const o = object(value);
  const fps = o.fps;
  if (fps !== undefined && (typeof fps !== 'number' || !Number.isInteger(fps) || fps < 1 || fps > 60)) throw new DarError('ARG_INVALID', `fps: expected an integer in 1..60, got ${JSON.stringify(fps)}`);
  if (o.acoustic !== undefined && !PRESETS.includes(o.acoustic as string)) throw new DarError('ARG_INVALID', `acoustic: expected ${PRESETS.join(' | ')}, got ${JSON.stringify(o.acoustic)}`);
  if (o.resume !== undefined && typeof o.resume !== 'boolean') throw new DarError('ARG_INVALID', `resume: expected true or false, got ${JSON.stringify(o.resume)}`);
  const params: ExtractParams = { videos: path(o, 'videos', true) as string, out: path(o, 'out', true) as string, resume: o.resume === true };
  if (fps !== undefined) params.fps = fps as number;
  if (o.acoustic !== undefined) params.acoustic = o.acoustic as ExtractParams['acoustic'];
  const bertModel = path(o, 'bertModel', false);
  if (bertModel) params.bertModel = bertModel;
  return params;
}

/** The studio's video import, one per worker. */
export class ExtractService {
  private job: ExtractJob | null = null;
  private controller: AbortController | null = null;

  constructor(private readonly deps: ExtractServiceDeps) {}

  private changed(): void {
    if (this.job) this.deps.emit({ type: 'extract-progress', job: { ...this.job } });
  }

  /** Starts an import in the background and answers at once with its state. */
  async startExtract(value: unknown): Promise<ExtractJob> {
    const params = extractParams(value);
    if (this.job?.state === 'running') throw new DarError('ARG_INVALID', `an import is already running (into ${this.job.params.out}); cancel it first`);
    const controller = new AbortController();
    this.controller = controller;
    const job: ExtractJob = { state: 'running', params, progress: null, modelDownload: null, report: null, error: null };
    this.job = job;
    const run = (this.deps.run ?? runInThread)({
      ...params,
      cacheDir: this.deps.cacheDir,
      signal: controller.signal,
      onProgress: (progress) => {
        Object.assign(job, { progress, modelDownload: null });
        this.changed();
      },
      onModelProgress: (fraction) => {
        job.modelDownload = fraction;
        this.changed();
      },
    });
    void run.then(
      (report) => Object.assign(job, { report, state: report.cancelled ? 'cancelled' : 'done' }),
      (err: unknown) => Object.assign(job, { error: toErrorInfo(err), state: controller.signal.aborted ? 'cancelled' : 'failed' }),
    ).finally(() => {
      if (this.controller === controller) this.controller = null;
      this.changed();
    });
    this.changed();
    return { ...job };
  }

  /** The current or last import. */
  async extractStatus(): Promise<ExtractJob | null> {
    return this.job && { ...this.job };
  }

  /** Asks the running import to stop (its state turns `cancelled` when it has). */
  async cancelExtract(): Promise<ExtractJob | null> {
    this.controller?.abort(new DarError('EXTRACT_CANCELLED', 'the import was cancelled'));
    return this.extractStatus();
  }

  /** Stops a running import (worker shutdown). */
  dispose(): void {
    this.controller?.abort(new DarError('EXTRACT_CANCELLED', 'the studio is shutting down'));
  }
}

/** A handler per method; params arrive unchecked from a page. */
export type ExtractHandlers = { [M in keyof StudioExtractMethods]: (params: never) => Promise<StudioExtractMethods[M][1]> };

/** The routing entries of every StudioExtractMethod. */
export function extractHandlers(s: ExtractService): ExtractHandlers {
  return {
    startExtract: (p) => s.startExtract(p),
    extractStatus: () => s.extractStatus(),
    cancelExtract: () => s.cancelExtract(),
  };
}
