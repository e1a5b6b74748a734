import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExtractJob } from '#contract/extract';
import type { EngineEvent } from '#contract/worker-protocol';
import { fakeExtractors } from '../../../testing/engine/extract/fake-extractors';
import { makeVideoFolder } from '../../../testing/engine/extract/video-folder';
import { useTempDir } from '../../../testing/temp-dir';
import { extractFolder } from '../../engine/extract/extract-folder';
import { ExtractService, extractParams } from './extract-service';

const tmp = useTempDir('dar-extract-service-');
const videos = makeVideoFolder(path.join(tmp, 'videos'), ['interview', 'vlog']);

function service(): { s: ExtractService; jobs: ExtractJob[]; ended: Promise<ExtractJob> } {
  const jobs: ExtractJob[] = [];
  let resolve!: (job: ExtractJob) => void;
  const ended = new Promise<ExtractJob>((r) => (resolve = r));
  const emit = (e: EngineEvent): void => {
    if (e.type !== 'extract-progress') return;
    jobs.push(e.job);
    if (e.job.state !== 'running') resolve(e.job);
  };
  const run = (o: Parameters<typeof extractFolder>[0]) => extractFolder({ ...o, extractors: fakeExtractors() });
  return { s: new ExtractService({ emit, run, cacheDir: path.join(tmp, 'cache') }), jobs, ended };
}

describe('ExtractService', () => {
  it('runs an import in the background with progress events and one at a time', async () => {
    const { s, jobs, ended } = service();
    const started = await s.startExtract({ videos, out: path.join(tmp, 'a') });
    expect(started.state).toBe('running');
    await expect(s.startExtract({ videos, out: path.join(tmp, 'b') })).rejects.toMatchObject({ code: 'ARG_INVALID' });
    const done = await ended;
    expect(done.state).toBe('done');
    expect(done.report?.written).toBe(2);
    expect(jobs.some((j) => j.progress?.stage === 'visual')).toBe(true);
    expect((await s.extractStatus())?.state).toBe('done');
  });

  it('cancels between stages and resumes later', async () => {
    const { s, ended } = service();
    const out = path.join(tmp, 'c');
    await s.startExtract({ videos, out });
    await s.cancelExtract();
    const job = await ended;
    expect(job.state).toBe('cancelled');
    const again = service();
    await again.s.startExtract({ videos, out, resume: true });
    const resumed = await again.ended;
    expect([resumed.state, (resumed.report?.written ?? 0) + (resumed.report?.skipped ?? 0)]).toEqual(['done', 2]);
  });

  it('runs the real import in a thread of its own, whose coded errors come back as the job error', async () => {
    let done!: (j: ExtractJob) => void;
    const finished = new Promise<ExtractJob>((r) => (done = r));
    const real = new ExtractService({ emit: (e) => void (e.type === 'extract-progress' && e.job.state !== 'running' && done(e.job)) });
    await real.startExtract({ videos: path.join(tmp, 'no-such-folder'), out: path.join(tmp, 'never') });
    const job = await finished;
    expect([job.state, job.error?.code]).toEqual(['failed', 'FILE_NOT_FOUND']);
  }, 30_000);

  it('checks its params', () => {
    for (const bad of [null, {}, { videos, out: '' }, { videos, out: 'x', fps: 0 }, { videos, out: 'x', acoustic: 'mfcc' }, { videos, out: 'x', resume: 'yes' }]) {
      expect(() => extractParams(bad)).toThrow(expect.objectContaining({ code: 'ARG_INVALID' }));
    }
    expect(extractParams({ videos, out: 'x', fps: 5, acoustic: 'chsims', bertModel: ' /m ' })).toEqual({ videos, out: 'x', fps: 5, acoustic: 'chsims', bertModel: '/m', resume: false });
  });
});
