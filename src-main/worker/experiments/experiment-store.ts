/**
 * The experiment queue on disk (`<home>/runs/jobs.json`), rewritten atomically after every
 * change so a crash or restart shows exactly what finished and what is pending. A job that was
 * training or evaluating when the worker went away comes back pending: its training resumes
 * from the sidecar, or only its sweep is run again when training had finished.
 */
import type { ExperimentJob, JobState } from '#contract/training-methods';
import { DarError } from '../../engine/errors';
import { readJson, writeJson } from '../training/checkpoint-sidecars';

const FORMAT = 'dar-jobs/1';
const STATES: readonly JobState[] = ['pending', 'training', 'evaluating', 'done', 'failed', 'cancelled'];

interface JobsFile {
  format: typeof FORMAT;
  jobs: ExperimentJob[];
}

function looksLikeJob(j: unknown): j is ExperimentJob {
  const o = j as Partial<ExperimentJob> | null;
  return !!o && typeof o.id === 'string' && typeof o.checkpoint === 'string' && typeof o.dataset === 'string' && STATES.includes(o.state as JobState) && typeof o.train === 'object';
}

/** The saved jobs, interrupted ones set back to pending; [] when there is no file yet. */
export async function loadJobs(file: string): Promise<ExperimentJob[]> {
  const value = (await readJson(file)) as Partial<JobsFile> | null;
  if (value === null) return [];
  if (value.format !== FORMAT || !Array.isArray(value.jobs) || !value.jobs.every(looksLikeJob)) {
    throw new DarError('FILE_UNREADABLE', `${file}: not a DAR Studio job queue (format ${JSON.stringify(value.format)})`);
  }
  return value.jobs.map((j) => (j.state === 'training' || j.state === 'evaluating' ? { ...j, state: 'pending' as const } : j));
}

/** Writes the jobs atomically. */
export async function saveJobs(file: string, jobs: readonly ExperimentJob[]): Promise<void> {
  const content: JobsFile = { format: FORMAT, jobs: [...jobs] };
  await writeJson(file, content);
}
