/**
 * The clip workbench: the open clip, its masks with undo/redo, the selection, and the live
 * explanation. Every finished edit asks for a new prediction; only the newest answer is shown
 * (latest wins: a stale response is dropped), and at most one request runs at a time.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { ClipDetail, ClipRef } from '#contract/api';
import type { Modality } from '#contract/dataset';
import type { ClipExplanation, WorkbenchExplanation } from '#contract/explain';
import { hasFeatures } from '#contract/explain';
import type { TimeSpan } from '../timeline/geometry';
import { indexContaining, normalizeSegments, removeSegment } from '../timeline/segment-edit';
import { call } from '../services/bridge';
import { errorText } from '../services/errors';
import { markEdit, measurePreview, measureRoundTrip } from '../services/perf-marks';
import { cloneMasks, commit, emptyMasks, redo as redoStep, startHistory, undo as undoStep, type MaskHistory, type MaskSet } from './mask-history';
import { useSessionStore } from './session';

/** Answers kept for masks seen again (undo, redo, clear). */
const RECENT_ANSWERS = 8;
/** The key of an answer: the masks in one canonical form. */
const maskKey = (m: MaskSet): string => JSON.stringify(cloneMasks(m));
/** The key of no mask at all (its answer is kept: "clear" returns to it). */
const NO_MASK = maskKey(emptyMasks());

/** A selected segment of one track. */
export interface Selection {
  modality: Modality;
  index: number;
}

/** Clip, masks, history, selection and explanation of the workbench. */
export const useWorkbenchStore = defineStore('workbench', () => {
  const session = useSessionStore();
  const clipRef = shallowRef<ClipRef | null>(null);
  const clip = shallowRef<ClipDetail | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  const history = shallowRef<MaskHistory>(startHistory());
  /** Masks while a drag is in progress ("updating"); null when idle. */
  const draft = shallowRef<MaskSet | null>(null);
  const selection = ref<Selection | null>(null);
  const activeTrack = ref<Modality>('l');
  /** The shown answer: DAR's with its features, or another model's two predictions. */
  const answer = shallowRef<WorkbenchExplanation | null>(null);
  /** The shown answer's features; null too when the model has none (see `noFeatures`). */
  const explanation = computed<ClipExplanation | null>(() => (answer.value && hasFeatures(answer.value) ? answer.value : null));
  /** True when the open model answered without decoupled features (a baseline): the panels say so. */
  const noFeatures = computed(() => answer.value !== null && !hasFeatures(answer.value));
  const predictError = ref<string | null>(null);
  /** Mask version wanted, and the one the shown explanation belongs to. */
  const wantedVersion = ref(0);
  const shownVersion = ref(0);
  const rate = ref(0.3);
  let seed = 1;
  let running = false;
  /**
   * Answers for recent masks of the open clip with the open model, by the masks: undo, redo and
   * going back to no mask show theirs at once, with no round trip. Emptied when the clip or the
   * model changes; `answersEra` keeps an answer asked before that from coming back.
   */
  const recentAnswers = new Map<string, WorkbenchExplanation>();
  let answersEra = 0;
  /** The preview of the version being asked (its two predictions, sent ahead of the features). */
  const previewed = shallowRef<{ version: number; masked: number; complete: number } | null>(null);
  /** The predictions on show: a preview newer than the shown explanation, else the explanation's. */
  const prediction = computed(() => {
    const p = previewed.value;
    if (p && p.version > shownVersion.value) return p;
    const e = answer.value;
    return { version: shownVersion.value, masked: e?.masked.yHat ?? null, complete: e?.complete.yHat ?? null };
  });
  const forgetAnswers = (): void => {
    recentAnswers.clear();
    answersEra++;
    previewed.value = null;
  };
  watch(() => session.overview, forgetAnswers);

  const masks = computed(() => draft.value ?? history.value.present);
  const canUndo = computed(() => history.value.past.length > 0);
  const canRedo = computed(() => history.value.future.length > 0);
  const predicting = computed(() => shownVersion.value !== wantedVersion.value);

  /** Opens a clip with no mask and predicts it. */
  async function openClip(ref_: ClipRef): Promise<void> {
    clipRef.value = ref_;
    loading.value = true;
    error.value = null;
    history.value = startHistory();
    draft.value = null;
    selection.value = null;
    answer.value = null;
    forgetAnswers();
    try {
      const r = await call('getClip', ref_);
      if (clipRef.value !== ref_) return;
      if (!r.ok) {
        clip.value = null;
        error.value = errorText(r.error);
        return;
      }
      clip.value = r.value;
    } finally {
      if (clipRef.value === ref_) loading.value = false;
    }
    void repredict();
  }

  /** Asks for the explanation of the present masks; the newest request wins. */
  async function repredict(): Promise<void> {
    wantedVersion.value++;
    markEdit(wantedVersion.value);
    if (running || !session.hasModel) {
      if (!session.hasModel) shownVersion.value = wantedVersion.value;
      return;
    }
    running = true;
    try {
      while (shownVersion.value !== wantedVersion.value && clipRef.value) {
        const version = wantedVersion.value;
        const target = clipRef.value;
        const masks = cloneMasks(history.value.present);
        const key = maskKey(masks);
        const known = recentAnswers.get(key);
        if (known) {
          answer.value = known;
          predictError.value = null;
          shownVersion.value = version;
          continue;
        }
        const era = answersEra;
        const sent = performance.now();
        const onPreview = (p: { masked: number; complete: number }): void => {
          measurePreview(sent);
          if (version === wantedVersion.value && target === clipRef.value && era === answersEra) previewed.value = { version, ...p };
        };
        const r = await call('explain', { ...target, masks }, { onPreview });
        measureRoundTrip(sent);
        if (r.ok && era === answersEra) remember(key, r.value);
        if (version !== wantedVersion.value || target !== clipRef.value) continue; // stale: drop it
        if (r.ok) {
          answer.value = r.value;
          predictError.value = null;
        } else predictError.value = errorText(r.error);
        shownVersion.value = version;
      }
    } finally {
      running = false;
    }
  }

  /** Keeps an answer among the most recent few (each is a few hundred KB); the no-mask one stays while the clip is open. */
  function remember(key: string, value: WorkbenchExplanation): void {
    recentAnswers.delete(key);
    recentAnswers.set(key, value);
    if (recentAnswers.size <= RECENT_ANSWERS) return;
    for (const old of recentAnswers.keys()) {
      if (old === NO_MASK) continue;
      recentAnswers.delete(old);
      break;
    }
  }

  function commitMasks(next: MaskSet): void {
    draft.value = null;
    const before = history.value;
    history.value = commit(before, next);
    if (history.value !== before) void repredict();
  }

  /** A drag is in progress: show `next` without recording it. */
  function preview(next: MaskSet): void {
    draft.value = next;
  }

  /**
   * A drag ended ("updated"): record the segments of one track, normalised (overlaps merge), and
   * re-predict. `selected` is the edited segment; the merged segment holding it stays selected.
   */
  function setSegments(modality: Modality, segments: TimeSpan[], selected?: TimeSpan): void {
    const next = cloneMasks(history.value.present);
    next[modality].segments = normalizeSegments(segments, clip.value?.duration ?? 0);
    const index = selected ? indexContaining(next[modality].segments, selected) : -1;
    selection.value = index >= 0 ? { modality, index } : null;
    activeTrack.value = modality;
    commitMasks(next);
  }

  /** Abandons a drag in progress. */
  function cancelPreview(): void {
    draft.value = null;
  }

  /** Masks or unmasks a whole modality. */
  function toggleWhole(modality: Modality): void {
    const next = cloneMasks(history.value.present);
    next[modality].whole = !next[modality].whole;
    commitMasks(next);
  }

  /** Removes every mask. */
  function clearMasks(): void {
    selection.value = null;
    commitMasks(emptyMasks());
  }

  /** Replaces every mask at once (a saved probe restored), as one undoable edit. */
  function applyMasks(next: MaskSet): void {
    selection.value = null;
    commitMasks(cloneMasks(next));
  }

  /** Deletes the selected segment. */
  function deleteSelected(): void {
    const s = selection.value;
    if (!s) return;
    const next = cloneMasks(history.value.present);
    next[s.modality].segments = removeSegment(next[s.modality].segments, s.index);
    selection.value = null;
    commitMasks(next);
  }

  /** Draws the paper's random mask at the current rate (a new seed each time). */
  async function randomMask(): Promise<void> {
    const target = clipRef.value;
    if (!target) return;
    const r = await call('randomMask', { ...target, rate: rate.value, seed: seed++ });
    if (target !== clipRef.value) return;
    if (!r.ok) {
      predictError.value = errorText(r.error);
      return;
    }
    selection.value = null;
    commitMasks(r.value);
  }

  function step(fn: (h: MaskHistory) => MaskHistory): void {
    const before = history.value;
    draft.value = null;
    history.value = fn(before);
    selection.value = null;
    if (history.value !== before) void repredict();
  }

  /** Undo one edit. */
  function undo(): void {
    step(undoStep);
  }

  /** Redo one edit. */
  function redo(): void {
    step(redoStep);
  }

  /** Selects a segment (or nothing) and makes its track the active one. */
  function select(s: Selection | null): void {
    selection.value = s;
    if (s) activeTrack.value = s.modality;
  }

  return {
    clipRef, clip, loading, error, history, draft, selection, activeTrack, explanation, noFeatures, predictError,
    wantedVersion, shownVersion, prediction, rate, masks, canUndo, canRedo, predicting,
    openClip, repredict, preview, setSegments, cancelPreview, toggleWhole, clearMasks, applyMasks, deleteSelected, randomMask, undo, redo, select,
  };
});
