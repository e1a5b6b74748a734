/**
 * "Import videos": a folder of videos becomes a clip folder in the background (the worker's
 * ExtractService). The store holds the form, the job as `extract-progress` events report it
 * (clip, stage, ETA), cancel and resume, and opens the produced clip folder when asked.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { AcousticPreset, ExtractJob } from '#contract/extract';
import type { EngineEvent } from '#contract/worker-protocol';
import { bridge, call } from '../services/bridge';
import { errorText } from '../services/errors';
import { useLibraryStore } from './library';
import { useSessionStore } from './session';

/** The import form and job. */
export const useExtractStore = defineStore('extract', () => {
  const videos = ref('');
  const out = ref('');
  const fps = ref(10);
  const acoustic = ref<AcousticPreset>('mmsa-librosa');
  const bertModel = ref('');
  const job = shallowRef<ExtractJob | null>(null);
  const error = ref<string | null>(null);
  let off: (() => void) | null = null;

  const running = computed(() => job.value?.state === 'running');
  /** The clip folder can open once a run ended having written (or kept) a clip. */
  const canOpen = computed(() => {
    const r = job.value?.report;
    return !running.value && !!r && r.written + r.skipped >= 3;
  });

  function onEvent(event: EngineEvent): void {
    if (event.type === 'extract-progress') job.value = event.job;
  }

  /** Subscribes to progress and picks up an import already running (a reopened window). */
  async function init(): Promise<void> {
    off ??= bridge().onEvent(onEvent);
    const r = await call('extractStatus', {});
    if (r.ok && r.value) job.value = r.value;
  }

  async function start(resume = false): Promise<void> {
    error.value = null;
    if (!videos.value.trim() || !out.value.trim()) {
      error.value = 'Name the videos folder and the clip folder to write.';
      return;
    }
    await init();
    const params = { videos: videos.value.trim(), out: out.value.trim(), fps: fps.value, acoustic: acoustic.value, resume, ...(bertModel.value.trim() ? { bertModel: bertModel.value.trim() } : {}) };
    const r = await call('startExtract', params);
    if (r.ok) job.value = r.value;
    else error.value = errorText(r.error);
  }

  async function cancel(): Promise<void> {
    const r = await call('cancelExtract', {});
    if (!r.ok) error.value = errorText(r.error);
  }

  /** Opens the produced clip folder in the studio (the library reloads). */
  async function openResult(): Promise<boolean> {
    const path = job.value?.params.out;
    if (!path) return false;
    const session = useSessionStore();
    const ok = await session.openDataset(path);
    if (!ok) error.value = session.error;
    else void useLibraryStore().reload();
    return ok;
  }

  return { videos, out, fps, acoustic, bertModel, job, error, running, canOpen, init, start, cancel, openResult };
});
