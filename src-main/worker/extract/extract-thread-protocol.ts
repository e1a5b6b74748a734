/** What the engine thread and the import's thread (extract-thread.ts) say to each other. */
import type { ErrorInfo } from '#contract/errors';
import type { ExtractParams, ExtractProgress, ExtractReport } from '#contract/extract';

/** The thread's workerData. */
export interface ExtractThreadData {
  params: ExtractParams;
  cacheDir?: string;
}

/** Messages from the import's thread. */
export type ExtractThreadMessage =
  | { kind: 'progress'; progress: ExtractProgress }
  | { kind: 'model'; fraction: number }
  | { kind: 'done'; report: ExtractReport } | { kind: 'error'; error: ErrorInfo };
