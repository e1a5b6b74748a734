import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainConfigFor } from '../../engine/train/config';
import { toErrorInfo } from '../../engine/errors';
import { planJobs } from './experiment-plan';
import { loadJobs, saveJobs } from './experiment-store';
import { useTempDir } from '../../../testing/temp-dir';

const dir = useTempDir('dar-jobs-store-');
const jobs = planJobs({ kind: 'k-sweep', dataset: '/d', datasetName: 'd', preset: null, model: {}, train: trainConfigFor(undefined), seeds: [1], evalSeeds: [1111], split: 'test', runsRoot: dir });

describe('the job queue file', () => {
  it('reads back what was saved; interrupted jobs (training, evaluating) come back pending', async () => {
    const file = join(dir, 'a', 'jobs.json');
    const states = ['done', 'training', 'evaluating', 'failed', 'cancelled', 'pending'] as const;
    const saved = jobs.map((j, i) => ({ ...j, state: states[i] }));
    await saveJobs(file, saved);
    const loaded = await loadJobs(file);
    expect(loaded.map((j) => j.state)).toEqual(['done', 'pending', 'pending', 'failed', 'cancelled', 'pending']);
    expect(loaded[0]).toEqual(saved[0]);
  });

  it('is empty before the first save and refuses a file that is not a queue', async () => {
    expect(await loadJobs(join(dir, 'none.json'))).toEqual([]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'dar-jobs/1', jobs: [{ id: 3 }] }));
    expect(toErrorInfo(await loadJobs(bad).catch((e: unknown) => e)).code).toBe('FILE_UNREADABLE');
  });
});
