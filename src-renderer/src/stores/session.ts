/** The session: which shell and backend serve the studio, and the open dataset and model. */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AppInfo, DatasetOverview } from '#contract/api';
import type { EngineEvent } from '#contract/worker-protocol';
import type { TrainProgress } from '#contract/train';
import { bridge, call, connectionState, onConnectionState } from '../services/bridge';
import { errorText } from '../services/errors';
import type { ConnectionState } from '../services/socket-client';

/** App info, dataset overview, backend, connection and engine activity. */
export const useSessionStore = defineStore('session', () => {
  const appInfo = shallowRef<AppInfo | null>(null);
  const overview = shallowRef<DatasetOverview | null>(null);
  const error = ref<string | null>(null);
  const loading = ref(false);
  const connection = ref<ConnectionState>('connecting');
  const training = shallowRef<TrainProgress | null>(null);
  const lastLog = ref<string | null>(null);
  let unsubscribe: (() => void)[] = [];

  const backendLabel = computed(() => appInfo.value?.backend.label ?? null);
  const hasModel = computed(() => overview.value?.checkpoint != null);

  function onEvent(event: EngineEvent): void {
    if (event.type === 'train-progress') training.value = event.progress;
    else if (event.type === 'log') lastLog.value = event.message;
  }

  /** Connects to the shell and loads app info and the open dataset. */
  async function init(): Promise<void> {
    unsubscribe.forEach((off) => off());
    unsubscribe = [bridge().onEvent(onEvent), onConnectionState((s) => (connection.value = s))];
    connection.value = connectionState();
    loading.value = true;
    error.value = null;
    try {
      const [info, over] = await Promise.all([call('getAppInfo', {}), call('getOverview', {})]);
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

  return { appInfo, overview, error, loading, connection, training, lastLog, backendLabel, hasModel, init, openDataset, openCheckpoint };
});
