/** The fake studio's "Import videos" methods: a job that stays running until the test emits events. */
import type { StudioApi } from '#contract/api';
import type { ExtractJob, StudioExtractMethods } from '#contract/extract';
import type { Result } from '#contract/errors';

/** startExtract, extractStatus and cancelExtract over one remembered job. */
export function fakeExtract(log: (method: string, params: unknown) => void): Pick<StudioApi, keyof StudioExtractMethods> {
  let job: ExtractJob | null = null;
  const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
  return {
    startExtract: (p) => {
      log('startExtract', p);
      job = { state: 'running', params: p, progress: null, modelDownload: null, report: null, error: null };
      return ok({ ...job });
    },
    extractStatus: (p) => (log('extractStatus', p), ok(job && { ...job })),
    cancelExtract: (p) => (log('cancelExtract', p), ok(job && { ...job })),
  };
}
