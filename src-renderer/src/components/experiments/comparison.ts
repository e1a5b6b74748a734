/**
 * The experiments' comparison as pure data: one row per variant of an experiment (the paper's
 * Table 1, 2 or 3), its metrics the mean over missing rates averaged over the variant's finished
 * seeds with their spread (sample sd) and the robustness score, and the experiments on record
 * grouped for the picker.
 */
import type { Metrics } from '#contract/eval';
import type { ExperimentJob, ExperimentKind, JobState } from '#contract/training-methods';

/** A row of the comparison: one variant. */
export interface ComparisonRow {
  variant: string;
  /** The job's label without the seed suffix. */
  label: string;
  jobs: ExperimentJob[];
  /** The least advanced state of its jobs (pending < training < evaluating < done; failed/cancelled count as over). */
  state: JobState;
  /** Mean over rates, averaged over the finished jobs; null until one finishes. */
  metrics: Metrics | null;
  /** The sample sd of each metric over the finished seeds; null with fewer than two. */
  sd: Metrics | null;
  /** The robustness score (Non0 Acc-2's area) over the finished seeds: mean and sd (null with one seed). */
  score: { mean: number; sd: number | null } | null;
  /** Finished jobs of how many. */
  done: number;
  /** A finished job's checkpoint to open in the workbench. */
  checkpoint: string | null;
}

/** One click's worth of jobs. */
export interface ExperimentSummary {
  id: string;
  kind: ExperimentKind;
  datasetName: string;
  createdAt: string;
  total: number;
  done: number;
  unfinished: number;
}

const UNFINISHED: readonly JobState[] = ['pending', 'training', 'evaluating'];
const ORDER: readonly JobState[] = ['training', 'evaluating', 'pending', 'failed', 'cancelled', 'done'];

/** True while a job still has work to do. */
export function isUnfinished(state: JobState): boolean {
  return UNFINISHED.includes(state);
}

const mean = (vs: readonly number[]): number => vs.reduce((a, b) => a + b, 0) / vs.length;

/** The sample standard deviation (n - 1); null for fewer than two values. */
export function sampleSd(vs: readonly number[]): number | null {
  if (vs.length < 2) return null;
  const m = mean(vs);
  return Math.sqrt(vs.reduce((a, v) => a + (v - m) ** 2, 0) / (vs.length - 1));
}

function perMetric(list: readonly Metrics[], f: (vs: number[]) => number | null): Metrics | null {
  if (!list.length) return null;
  const keys = Object.keys(list[0]) as (keyof Metrics)[];
  return Object.fromEntries(keys.map((k) => [k, f(list.map((m) => m[k]).filter((v): v is number => v !== null))])) as unknown as Metrics;
}

const average = (list: readonly Metrics[]): Metrics | null => perMetric(list, (vs) => (vs.length ? mean(vs) : null));
const spread = (list: readonly Metrics[]): Metrics | null => (list.length < 2 ? null : perMetric(list, sampleSd));

/** The robustness score over seeds, from the reports that carry one. */
function scoreOf(jobs: readonly ExperimentJob[]): ComparisonRow['score'] {
  const vs = jobs.map((j) => j.report?.score?.Non0_acc_2.area ?? null).filter((v): v is number => v !== null);
  return vs.length ? { mean: mean(vs), sd: sampleSd(vs) } : null;
}

/** The state a row shows: the most active of its jobs, else the worst ending, else done. */
function rowState(jobs: readonly ExperimentJob[]): JobState {
  return ORDER.find((s) => jobs.some((j) => j.state === s)) ?? 'pending';
}

/** The rows of one experiment, in queue order of their first job. */
export function comparisonRows(jobs: readonly ExperimentJob[], experiment: string): ComparisonRow[] {
  const byVariant = new Map<string, ExperimentJob[]>();
  for (const j of jobs) if (j.experiment === experiment) byVariant.set(j.variant, [...(byVariant.get(j.variant) ?? []), j]);
  return [...byVariant].map(([variant, list]) => {
    const finished = list.filter((j) => j.state === 'done' && j.report);
    const means = finished.map((j) => j.report!.mean);
    return {
      variant,
      label: list[0].label.replace(/ \(seed \d+\)$/, ''),
      jobs: list,
      state: rowState(list),
      metrics: average(means),
      sd: spread(means),
      score: scoreOf(finished),
      done: finished.length,
      checkpoint: finished[0]?.checkpoint ?? null,
    };
  });
}

/** The experiments on record, newest first. */
export function experimentsOf(jobs: readonly ExperimentJob[]): ExperimentSummary[] {
  const map = new Map<string, ExperimentSummary>();
  for (const j of jobs) {
    const s = map.get(j.experiment) ?? { id: j.experiment, kind: j.kind, datasetName: j.datasetName, createdAt: j.createdAt, total: 0, done: 0, unfinished: 0 };
    s.total++;
    if (j.state === 'done') s.done++;
    if (isUnfinished(j.state)) s.unfinished++;
    map.set(j.experiment, s);
  }
  return [...map.values()].sort((a, b) => (a.createdAt === b.createdAt ? b.id.localeCompare(a.id) : a.createdAt < b.createdAt ? 1 : -1));
}

/** Replaces a job in the list by id (or appends it), keeping the list's order. */
export function upsertJob(jobs: readonly ExperimentJob[], job: ExperimentJob): ExperimentJob[] {
  const i = jobs.findIndex((j) => j.id === job.id);
  if (i < 0) return [...jobs, job];
  const next = [...jobs];
  next[i] = job;
  return next;
}
