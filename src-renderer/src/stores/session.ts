/** The session: which shell and backend serve the studio, and the open dataset and model. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AppInfo, DatasetOverview } from '#contract/api';
import type { EngineEvent } from '#contract/worker-protocol';
import type { TrainingRunState } from '#contract/training-methods';
import type { TrainProgress } from '#contract/train';
import { bridge, call, connectionState, onConnectionState } from '../services/bridge';
import { errorText } from '../services/errors';
import type { ConnectionState } from '../services/socket-client';

/** How long the status bar says how a run ended (finished, stopped, failed) before it clears. */
export const RUN_END_SHOWN_MS = 6000;

/** App info, dataset overview, backend, connection and engine activity. */
export const useSessionStore = defineStore('session', () => {
  const appInfo = shallowRef<AppInfo | null>(null);
  const overview = shallowRef<DatasetOverview | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  const connection = ref<ConnectionState>('connecting');
  /** The live run's last progress event; null when no run is training (or none has reported a step yet). */
  const training = shallowRef<TrainProgress | null>(null);
  /** The last run's state as the engine reported it; an ended state clears after RUN_END_SHOWN_MS. */
  const trainState = ref<TrainingRunState | null>(null);
  let endTimer: ReturnType<typeof setTimeout> | undefined;
  const lastLog = ref<string | null>(null);
  let unsubscribe: (() => void)[] = [];

  const backendLabel = computed(() => appInfo.value?.backend.label ?? null);
  const hasModel = computed(() => overview.value?.checkpoint != null);

  // Progress events say nothing when a run ends (finished, stopped, an experiment job cancelled):
  // only 'train-state' does, so without it the last step would stay on screen for ever.
  function onTrainState(state: TrainingRunState): void {
    clearTimeout(endTimer);
    trainState.value = state;
    if (state === 'stopping') return;
    // A run that starts has no step yet; one that ended has none any more.
    training.value = null;
    if (state !== 'running') endTimer = setTimeout(() => (trainState.value = null), RUN_END_SHOWN_MS);
  }

  function onEvent(event: EngineEvent): void {
    if (event.type === 'train-progress') {
      // A window opened mid-run heard no start: the progress itself says a run is going.
      if (trainState.value !== 'running' && trainState.value !== 'stopping') onTrainState('running');
      training.value = event.progress;
    } else if (event.type === 'train-state') onTrainState(event.state);
    else if (event.type === 'log') lastLog.value = event.message;
  }

  function onConnection(state: ConnectionState): void {
    connection.value = state;
    // Events sent while the connection was down are lost: a shown step may be long stale,
    // and once the connection is back, the run (if any) is asked for rather than waited for.
    if (state === 'open') {
      void restoreRun();
      return;
    }
    clearTimeout(endTimer);
    training.value = null;
    trainState.value = null;
  }

  /**
   * A page loaded (or reconnected) mid-run heard no start and may wait a long step for the next
   * progress event: the engine's run state fills the status bar at once.
   */
  async function restoreRun(): Promise<void> {
    const r = await call('trainingStatus', {});
    if (!r.ok || !r.value.active || !r.value.run) return;
    // an event that arrived meanwhile is newer than this answer
    if (trainState.value === null) trainState.value = r.value.run.state === 'stopping' ? 'stopping' : 'running';
    if (training.value === null) training.value = r.value.run.progress;
  }

  /** Connects to the shell and loads app info and the open dataset. */
  async function init(): Promise<void> {
    unsubscribe.forEach((off) => off());
    unsubscribe = [bridge().onEvent(onEvent), onConnectionState(onConnection)];
    connection.value = connectionState();
    loading.value = true;
    error.value = null;
    try {
      const [info, over] = await Promise.all([call('getAppInfo', {}), call('getOverview', {}), restoreRun()]);
      if (info.ok) appInfo.value = info.value;
      if (over.ok) overview.value = over.value;
      const failed = !info.ok ? info.error : !over.ok ? over.error : null;
      if (failed) error.value = errorText(failed);
    } finally {
      loading.value = false;
    }
  }

  /** Opens a dataset (and a checkpoint); no path opens the demo corpus. */
  async function openDataset(path?: string, checkpoint?: string): Promise<boolean> {
    loading.value = true;
    try {
      const r = await call('openDataset', { path, checkpoint });
      if (!r.ok) {
        error.value = errorText(r.error);
        return false;
      }
      overview.value = r.value;
      error.value = null;
      return true;
    } finally {
      loading.value = false;
    }
  }

  /** Makes a checkpoint the workbench's model (openCheckpoint); the error in words, or null. */
  async function openCheckpoint(path: string): Promise<string | null> {
    const r = await call('openCheckpoint', { path });
    if (!r.ok) return errorText(r.error);
    overview.value = r.value;
    return null;
  }

  return { appInfo, overview, error, loading, connection, training, trainState, lastLog, backendLabel, hasModel, init, openDataset, openCheckpoint };
});
