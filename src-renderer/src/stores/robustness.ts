/**
 * The robustness view's state: the checkpoints the worker knows with their saved sweeps, which
 * of them are overlaid, the sweep queue with its progress, and exports of the shown table.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { SplitName } from '#contract/dataset';
import type { EngineEvent } from '#contract/worker-protocol';
import type { CheckpointEntry, ExportedText, RobustnessRecord } from '#contract/training-methods';
import { mergeCsv, mergeMarkdown, modelName, modelTag } from '../components/robustness/robustness-format';
import { bridge, call } from '../services/bridge';
import { errorText } from '../services/errors';

/** Evaluation mask seeds: the first one is the engine's default, more average over mask draws. */
export const EVAL_SEEDS = [1111, 1112, 1113] as const;

/** A model overlaid in the charts and the table. */
export interface ShownModel {
  path: string;
  name: string;
  tag: string;
  /** Index into the series palette, stable while the model stays shown. */
  colour: number;
  record: RobustnessRecord;
}

/** Where the sweep queue is. */
export interface SweepProgress {
  checkpoint: string;
  /** Position in the queue (1-based) and its length. */
  position: number;
  queued: number;
  done: number;
  total: number;
}

/** Checkpoints, saved and fresh sweeps, what is shown, and the running sweep. */
export const useRobustnessStore = defineStore('robustness', () => {
  const checkpoints = shallowRef<CheckpointEntry[]>([]);
  const records = shallowRef<ReadonlyMap<string, RobustnessRecord>>(new Map());
  const shown = ref<string[]>([]);
  const selected = ref<string[]>([]);
  const seedCount = ref(1);
  const split = ref<SplitName>('test');
  const detailed = ref(false);
  const progress = shallowRef<SweepProgress | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  let offEvents: (() => void) | null = null;

  const seeds = computed(() => EVAL_SEEDS.slice(0, seedCount.value));
  const running = computed(() => progress.value !== null);
  const byPath = computed(() => new Map(checkpoints.value.map((c) => [c.path, c])));

  const models = computed<ShownModel[]>(() =>
    shown.value.flatMap((path, colour) => {
      const record = records.value.get(path);
      const entry = byPath.value.get(path);
      if (!record) return [];
      const name = entry ? modelName(entry) : path.split(/[\\/]/).pop()!.replace(/\.safetensors$/, '');
      return [{ path, name, tag: entry ? modelTag(entry) : '', colour, record }];
    }),
  );

  function onEvent(event: EngineEvent): void {
    // A finished experiment job or training run brings a new checkpoint or sweep to list.
    if ((event.type === 'job-progress' && event.job.state === 'done') || (event.type === 'train-state' && event.state === 'finished')) {
      void refresh();
      return;
    }
    const p = progress.value;
    if (event.type !== 'eval-progress' || !p || event.checkpoint !== p.checkpoint) return;
    progress.value = { ...p, done: event.done, total: event.total };
  }

  function keep(record: RobustnessRecord): void {
    const next = new Map(records.value);
    const old = next.get(record.checkpoints[0]);
    if (!old || old.createdAt <= record.createdAt) next.set(record.checkpoints[0], record);
    records.value = next;
  }

  /** Lists the checkpoints and their saved sweeps; sweeps not seen before are shown, hidden ones stay hidden. */
  async function refresh(): Promise<void> {
    offEvents ??= bridge().onEvent(onEvent);
    loading.value = true;
    try {
      const r = await call('listCheckpoints', {});
      if (!r.ok) {
        error.value = errorText(r.error);
        return;
      }
      const known = new Set(records.value.keys());
      checkpoints.value = r.value.checkpoints;
      for (const c of r.value.checkpoints) if (c.robustness) keep(c.robustness);
      const fresh = r.value.checkpoints.filter((c) => c.robustness && !known.has(c.path) && !shown.value.includes(c.path));
      shown.value = [...shown.value, ...fresh.map((c) => c.path)];
    } finally {
      loading.value = false;
    }
  }

  /** Whether a checkpoint can be swept: it fits the open dataset or its run names its own. */
  function sweepable(entry: CheckpointEntry): boolean {
    return !entry.running && (entry.fitsOpenDataset || entry.dataset.path !== null);
  }

  async function sweepOne(path: string, position: number, queued: number): Promise<boolean> {
    const entry = byPath.value.get(path);
    progress.value = { checkpoint: path, position, queued, done: 0, total: 0 };
    const dataset = entry && !entry.fitsOpenDataset ? (entry.dataset.path ?? undefined) : undefined;
    const r = await call('runRobustness', { checkpoints: [path], dataset, split: split.value, seeds: [...seeds.value] });
    if (!r.ok) {
      error.value = `${entry ? modelName(entry) : path}: ${errorText(r.error)}`;
      return false;
    }
    keep(r.value);
    if (!shown.value.includes(path)) shown.value = [...shown.value, path];
    return true;
  }

  /** Sweeps each checkpoint in turn (the selected ones by default); stops at the first failure. */
  async function runSweeps(paths: readonly string[] = selected.value): Promise<void> {
    if (running.value || paths.length === 0) return;
    error.value = null;
    try {
      for (let i = 0; i < paths.length; i++) if (!(await sweepOne(paths[i], i + 1, paths.length))) break;
    } finally {
      progress.value = null;
    }
  }

  /** Shows or hides a model with a sweep in the charts and the table. */
  function toggleShown(path: string): void {
    shown.value = shown.value.includes(path) ? shown.value.filter((p) => p !== path) : [...shown.value, path];
  }

  /** Selects or unselects a checkpoint for the next sweep. */
  function toggleSelected(path: string): void {
    selected.value = selected.value.includes(path) ? selected.value.filter((p) => p !== path) : [...selected.value, path];
  }

  /** The shown models' table as CSV or Markdown (the worker writes each, models are merged here). */
  async function exportTable(format: 'csv' | 'md'): Promise<ExportedText | null> {
    const list = models.value;
    if (list.length === 0) return null;
    const parts = await Promise.all(list.map((m) => call('exportRobustness', { report: m.record.report, format })));
    const failed = parts.find((p) => !p.ok);
    if (failed && !failed.ok) {
      error.value = errorText(failed.error);
      return null;
    }
    const texts = parts.map((p, i) => ({ model: list[i].name, text: p.ok ? p.value.text : '' }));
    const first = parts[0].ok ? parts[0].value : null;
    if (list.length === 1 && format === 'md' && first) return first;
    const text = format === 'csv' ? mergeCsv(texts) : mergeMarkdown(texts);
    const fileName = list.length === 1 && first ? first.fileName : `robustness-comparison.${format}`;
    return { text, fileName, mimeType: format === 'csv' ? 'text/csv' : 'text/markdown' };
  }

  return {
    checkpoints, records, shown, selected, seedCount, split, detailed, progress, loading, error, seeds, running, models,
    refresh, sweepable, runSweeps, toggleShown, toggleSelected, exportTable,
  };
});
