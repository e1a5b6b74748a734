/**
 * Experiments: one click queues the paper's ablation set (Table 2) or k sweep (Table 3) as
 * background jobs in the worker; `job-progress` events keep the queue current, and the
 * comparison of the shown experiment fills in as its jobs finish.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { EngineEvent, PresetName } from '#contract/worker-protocol';
import type { ExperimentKind, JobList, ModelHyper, QueueExperimentsParams } from '#contract/training-methods';
import type { ExperimentJob } from '#contract/training-methods';
import { comparisonRows, experimentsOf, upsertJob } from '../components/experiments/comparison';
import { bridge, call } from '../services/bridge';
import { errorText } from '../services/errors';
import { useSessionStore } from './session';
import { openInWorkbench, presetFor } from './training';

/** Model sizes the form offers: the spec's, or a small one so a demo set runs in minutes. */
export const MODEL_SIZES: Record<'spec' | 'small', { label: string; model: Partial<ModelHyper> }> = {
  spec: { label: 'spec (d = 128, t = 16, 4 heads)', model: {} },
  small: { label: 'small (d = 32, t = 8, 2 heads)', model: { d: 32, t: 8, heads: 2 } },
};

/** Table 1's training seeds when the form names none: mean ± sd needs more than one. */
export const TABLE1_SEEDS: readonly number[] = [1111, 1112, 1113];

/** Most epochs the form accepts per job. */
export const MAX_EPOCHS = 1000;

/** Parses "1111, 1112" into seeds; null when the text is not a list of integers. */
export function parseSeeds(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.length) return [];
  const seeds = parts.map(Number);
  return seeds.every((s) => Number.isSafeInteger(s)) && seeds.length <= 16 ? seeds : null;
}

/** The queue, the form that fills it and the comparison of one experiment. */
export const useExperimentsStore = defineStore('experiments', () => {
  const session = useSessionStore();
  const jobs = shallowRef<ExperimentJob[]>([]);
  const running = ref<string | null>(null);
  const paused = ref(false);
  const file = ref('');
  const error = ref<string | null>(null);
  const busy = ref(false);
  /** The experiment the comparison shows (null: the newest). */
  const selected = ref<string | null>(null);
  const epochs = ref(5);
  const preset = ref<PresetName>('demo');
  const size = ref<keyof typeof MODEL_SIZES>('small');
  const seedText = ref('');
  let subscribed = false;

  const experiments = computed(() => experimentsOf(jobs.value));
  const shown = computed(() => experiments.value.find((e) => e.id === selected.value) ?? experiments.value[0] ?? null);
  const rows = computed(() => (shown.value ? comparisonRows(jobs.value, shown.value.id) : []));
  const formErrors = computed(() => {
    const out: Record<string, string> = {};
    if (!Number.isInteger(epochs.value) || epochs.value < 1 || epochs.value > MAX_EPOCHS) out.epochs = `an integer in 1..${MAX_EPOCHS}`;
    if (parseSeeds(seedText.value) === null) out.seeds = 'integers separated by commas (at most 16)';
    return out;
  });

  function onEvent(event: EngineEvent): void {
    if (event.type !== 'job-progress') return;
    const job = event.job;
    jobs.value = upsertJob(jobs.value, job);
    if (job.state === 'training' || job.state === 'evaluating') running.value = job.id;
    else if (running.value === job.id) running.value = null;
  }

  function adopt(list: JobList): void {
    jobs.value = list.jobs;
    running.value = list.running;
    paused.value = list.paused;
    file.value = list.file;
  }

  async function request(fn: () => ReturnType<typeof call<'listJobs'>>): Promise<boolean> {
    busy.value = true;
    try {
      const r = await fn();
      if (!r.ok) {
        error.value = errorText(r.error);
        return false;
      }
      error.value = null;
      adopt(r.value);
      return true;
    } finally {
      busy.value = false;
    }
  }

  /** Subscribes to job events (once) and loads the queue. */
  async function init(): Promise<void> {
    if (!subscribed) {
      bridge().onEvent(onEvent);
      subscribed = true;
      preset.value = presetFor(session.overview?.name, session.overview?.synthetic);
    }
    await request(() => call('listJobs', {}));
  }

  /** Queues one experiment set on the open dataset and shows it. */
  async function queue(kind: ExperimentKind, defaultSeeds: readonly number[] = []): Promise<boolean> {
    if (Object.keys(formErrors.value).length) return false;
    const named = parseSeeds(seedText.value) ?? [];
    const seeds = named.length ? named : [...defaultSeeds];
    const params: QueueExperimentsParams = { kind, preset: preset.value, epochs: epochs.value, ...(seeds.length ? { seeds } : {}) };
    const model = MODEL_SIZES[size.value].model;
    if (Object.keys(model).length) params.model = model;
    const ok = await request(() => call('queueExperiments', params));
    if (ok) selected.value = null;
    return ok;
  }

  /** Queues Table 1 on the open dataset: every model × the form's seeds (three when none are named). */
  function queueTable1(): Promise<boolean> {
    return queue('models', TABLE1_SEEDS);
  }

  /** Cancels a job, or every unfinished job of an experiment. */
  function cancel(id: string): Promise<boolean> {
    return request(() => call('cancelJob', { id }));
  }

  /** Lets pending jobs run again after a restart. */
  function resume(): Promise<boolean> {
    return request(() => call('resumeJobs', {}));
  }

  /** Opens a finished job's checkpoint in the workbench. */
  async function openCheckpoint(path: string): Promise<void> {
    error.value = await openInWorkbench(path);
  }

  return {
    jobs, running, paused, file, error, busy, selected, epochs, preset, size, seedText, experiments, shown, rows, formErrors,
    init, queue, queueTable1, cancel, resume, openCheckpoint,
  };
});
