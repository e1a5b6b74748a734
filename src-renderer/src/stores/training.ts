/**
 * Training: the form (a preset's values, every one editable, checked as typed), the run the
 * worker owns (restored from trainingStatus whenever the view mounts, so closing the window
 * never loses it), its live curves at <= 4 Hz, and the checkpoints with their scores.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PresetName } from '#contract/worker-protocol';
import type { CheckpointEntry, CheckpointList, TrainingDefaults, TrainingRun, TrainingStatus } from '#contract/training-methods';
import type { TrainProgress } from '#contract/train';
import type { ErrorInfo } from '#contract/errors';
import type { EngineEvent } from '#contract/worker-protocol';
import { fieldOfMessage, formFromDefaults, startParams, validateForm, type TrainingFormValues } from '../components/training/training-form';
import type { CurveInput } from '../components/training/curve-options';
import { RunTracker } from '../components/training/run-tracker';
import { bridge, call } from '../services/bridge';
import { errorText } from '../services/errors';
import { useLibraryStore } from './library';
import { useNavigationStore } from './navigation';
import { useSessionStore } from './session';
import { useWorkbenchStore } from './workbench';

/** A failed call in words, and the form field it names (worker ARG_INVALID), if any. */
export interface ShownError {
  text: string;
  field: string | null;
}

const EMPTY_CURVES: CurveInput = { steps: { x: new Float32Array(0), terms: { task: new Float32Array(0), sim: new Float32Array(0), diff: new Float32Array(0), re: new Float32Array(0), recon: new Float32Array(0), total: new Float32Array(0), sel: new Float32Array(0), club: new Float32Array(0) } }, history: [], selectedEpoch: -1, epochs: 1 };

function shown(error: ErrorInfo): ShownError {
  return { text: errorText(error), field: error.code === 'ARG_INVALID' ? fieldOfMessage(error.message) : null };
}

/** Opens a checkpoint as the workbench's model and shows the workbench; the error in words, or null. */
export async function openInWorkbench(path: string): Promise<string | null> {
  const session = useSessionStore();
  const before = session.overview?.path ?? null;
  const failed = await session.openCheckpoint(path);
  if (failed) return failed;
  const wb = useWorkbenchStore();
  void useLibraryStore().reload();
  // Same dataset: keep the clip and its masks and predict again; another dataset: reopen the clip.
  if (wb.clipRef) void (session.overview?.path === before ? wb.repredict() : wb.openClip(wb.clipRef));
  useNavigationStore().go('workbench');
  return null;
}

/** The preset a dataset starts from: demo for synthetic data, MOSEI by name, else MOSI. */
export function presetFor(name: string | undefined, synthetic: boolean | undefined): PresetName {
  if (synthetic) return 'demo';
  return /mosei/i.test(name ?? '') ? 'mosei' : 'mosi';
}

/** The training view's state. */
export const useTrainingStore = defineStore('training', () => {
  const session = useSessionStore();
  const defaults = shallowRef<TrainingDefaults | null>(null);
  const form = ref<TrainingFormValues | null>(null);
  const formErrors = computed(() => (form.value ? validateForm(form.value) : {}));
  const error = ref<ShownError | null>(null);
  const run = shallowRef<Omit<TrainingRun, 'steps'> | null>(null);
  const active = ref(false);
  const progress = shallowRef<TrainProgress | null>(null);
  const curves = shallowRef<CurveInput>(EMPTY_CURVES);
  const checkpoints = shallowRef<CheckpointEntry[]>([]);
  const unreadable = shallowRef<CheckpointList['unreadable']>([]);
  const busy = ref(false);
  const tracker = new RunTracker((s) => {
    curves.value = s.curves;
    progress.value = s.progress;
  });
  let subscribed = false;

  const running = computed(() => run.value?.state === 'running' || run.value?.state === 'stopping');
  const canStart = computed(() => !!form.value && !active.value && !busy.value && Object.keys(formErrors.value).length === 0);
  /** The current run's checkpoint entry when it can be resumed (stopped, failed, or crashed). */
  const resumable = computed(() => checkpoints.value.find((c) => c.path === run.value?.checkpoint && c.resumable) ?? null);
  /** With no run in this worker (it restarted, e.g. after a crash): the newest run left unfinished. */
  const unfinished = computed(() => (run.value ? null : (checkpoints.value.find((c) => c.source === 'run' && c.resumable && !c.running) ?? null)));

  function onEvent(event: EngineEvent): void {
    if (event.type === 'train-progress') {
      tracker.push(event.progress);
      // The checkpoint is (re)written when an epoch is the best so far: show it in the list.
      if (event.progress.kind === 'epoch' && event.progress.record?.best) void refreshCheckpoints();
    } else if (event.type === 'train-state') {
      void refreshStatus();
      if (event.state !== 'stopping') void refreshCheckpoints();
    }
  }

  function adopt(status: TrainingStatus): void {
    active.value = status.active;
    const r = status.run;
    if (r) {
      const { steps: _steps, ...meta } = r;
      run.value = meta;
    } else run.value = null;
    tracker.reset(r);
  }

  /** Subscribes to engine events (once) and loads the form, the run and the checkpoints. */
  async function init(): Promise<void> {
    if (!subscribed) {
      bridge().onEvent(onEvent);
      subscribed = true;
    }
    await Promise.all([form.value ? Promise.resolve() : setPreset(presetFor(session.overview?.name, session.overview?.synthetic)), refreshStatus(), refreshCheckpoints()]);
  }

  /** Loads a preset's values into the form (every field editable afterwards). */
  async function setPreset(preset: PresetName | null): Promise<void> {
    const r = await call('trainingDefaults', preset ? { preset } : {});
    if (!r.ok) {
      error.value = shown(r.error);
      return;
    }
    defaults.value = r.value;
    form.value = formFromDefaults(r.value, form.value?.modelKind);
  }

  /** The run the worker owns right now (or its last one). */
  async function refreshStatus(): Promise<void> {
    const r = await call('trainingStatus', {});
    if (r.ok) adopt(r.value);
    else error.value = shown(r.error);
  }

  /** The checkpoints the studio knows, newest first. */
  async function refreshCheckpoints(): Promise<void> {
    const r = await call('listCheckpoints', {});
    if (!r.ok) {
      error.value = shown(r.error);
      return;
    }
    checkpoints.value = r.value.checkpoints;
    unreadable.value = r.value.unreadable;
  }

  async function act(request: () => ReturnType<typeof call<'startTraining'>>): Promise<boolean> {
    busy.value = true;
    try {
      const r = await request();
      if (!r.ok) {
        error.value = shown(r.error);
        return false;
      }
      error.value = null;
      adopt(r.value);
      void refreshCheckpoints();
      return true;
    } finally {
      busy.value = false;
    }
  }

  /** Starts a run with the form's values; refused in the UI when a field is invalid. */
  async function start(): Promise<boolean> {
    if (!form.value || Object.keys(formErrors.value).length) return false;
    return act(() => call('startTraining', startParams(form.value!)));
  }

  /** Continues a stopped or crashed run from its checkpoint's resume sidecar. */
  async function resume(checkpoint: string): Promise<boolean> {
    return act(() => call('resumeTraining', { checkpoint }));
  }

  /** Asks the running run to stop after its current step. */
  async function stop(): Promise<void> {
    const r = await call('stopTraining', {});
    if (!r.ok) error.value = shown(r.error);
    await refreshStatus();
  }

  /** Opens another dataset for training (and the workbench). */
  async function openDataset(path: string): Promise<boolean> {
    const ok = await session.openDataset(path.trim() || undefined);
    if (!ok) {
      error.value = { text: session.error ?? 'The dataset could not be opened', field: 'dataset' };
      return false;
    }
    error.value = null;
    void useLibraryStore().reload();
    await Promise.all([setPreset(presetFor(session.overview?.name, session.overview?.synthetic)), refreshCheckpoints()]);
    return true;
  }

  /** Makes a checkpoint the workbench's model and shows the workbench. */
  async function openCheckpoint(path: string): Promise<void> {
    const failed = await openInWorkbench(path);
    error.value = failed ? { text: failed, field: null } : null;
    if (!failed) void refreshCheckpoints();
  }

  return {
    defaults, form, formErrors, error, run, active, progress, curves, checkpoints, unreadable, busy, running, canStart, resumable, unfinished,
    init, setPreset, refreshStatus, refreshCheckpoints, start, resume, stop, openDataset, openCheckpoint,
  };
});
