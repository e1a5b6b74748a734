/**
 * The workbench's second model: a checkpoint that fits the open dataset, compared with the open
 * model mask edit by mask edit. Each edit the workbench explains is also sent through the second
 * model (explainSecond: its masked and complete predictions); the newest edit wins, as in the
 * workbench store, and an answer for an older edit or another clip is dropped.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { SecondExplanation } from '#contract/api';
import type { CheckpointEntry } from '#contract/training-methods';
import { call } from '../services/bridge';
import { errorText } from '../services/errors';
import { cloneMasks } from './mask-history';
import { useSessionStore } from './session';
import { useWorkbenchStore } from './workbench';

/** The second model's choices, its answer for the shown masks, and its errors. */
export const useSecondModelStore = defineStore('second-model', () => {
  const wb = useWorkbenchStore();
  const session = useSessionStore();
  const choices = shallowRef<CheckpointEntry[]>([]);
  const checkpoint = ref<string | null>(null);
  const answer = shallowRef<SecondExplanation | null>(null);
  const error = ref<string | null>(null);
  const wanted = ref(0);
  const answered = ref(0);
  let running = false;

  const entry = computed(() => choices.value.find((c) => c.path === checkpoint.value) ?? null);
  const pending = computed(() => checkpoint.value !== null && answered.value !== wanted.value);

  /** The checkpoints that fit the open dataset, apart from the open one and a run still training. */
  async function refreshChoices(): Promise<void> {
    const r = await call('listCheckpoints', {});
    if (!r.ok) {
      error.value = errorText(r.error);
      return;
    }
    choices.value = r.value.checkpoints.filter((c) => c.fitsOpenDataset && !c.open && !c.running);
    if (checkpoint.value && !entry.value) void choose(null);
  }

  /** Picks the second model (null: none) and explains the shown masks with it. */
  async function choose(path: string | null): Promise<void> {
    checkpoint.value = path;
    answer.value = null;
    error.value = null;
    if (path) await ask();
  }

  /** Sends the present masks of the open clip through the second model; the newest request wins. */
  async function ask(): Promise<void> {
    wanted.value++;
    if (running) return;
    running = true;
    try {
      while (answered.value !== wanted.value) {
        const version = wanted.value;
        const target = wb.clipRef;
        const path = checkpoint.value;
        if (!target || !path) {
          answered.value = version;
          continue;
        }
        const r = await call('explainSecond', { ...target, masks: cloneMasks(wb.history.present), checkpoint: path });
        if (version !== wanted.value || path !== checkpoint.value) continue; // stale: ask again
        answer.value = r.ok ? r.value : null;
        error.value = r.ok ? null : errorText(r.error);
        answered.value = version;
      }
    } finally {
      running = false;
    }
  }

  // Every explain the workbench asks for (a mask edit, undo, another clip) is asked of the second model too.
  watch(
    () => wb.wantedVersion,
    () => {
      if (checkpoint.value) void ask();
    },
  );
  // Another dataset or model: the choices change, and a second model that no longer fits is dropped.
  watch(
    () => [session.overview?.path, session.overview?.checkpoint?.path],
    () => void refreshChoices(),
  );

  return { choices, checkpoint, answer, error, entry, pending, refreshChoices, choose, ask };
});
