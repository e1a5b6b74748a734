/**
 * The open clip's media: whether ffmpeg works (and how to fix it when not), the clip's audio
 * waveform and filmstrip (kept per clip, so reopening one draws at once), and how its video plays
 * (as is, or converting with progress from `media-progress` events, then the converted URL).
 * Media never blocks the workbench: every failure here only leaves a track without its picture.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef, watch } from 'vue';
import type { ClipDetail, ClipRef } from '#contract/api';
import type { EngineEvent } from '#contract/worker-protocol';
import type { ClipFilmstrip, ClipMediaState, MediaStatus, Waveform } from '#contract/media';
import { bridge, call } from '../services/bridge';
import { errorText } from '../services/errors';
import { useSessionStore } from './session';
import { useWorkbenchStore } from './workbench';

/** Thumbnail height asked of the worker: twice the visual track's body, for sharp tiles on HiDPI screens. */
export const FILMSTRIP_HEIGHT = 116;
/** Clips whose waveform and filmstrip stay in memory. */
const CLIP_CACHE = 16;

interface ClipMedia {
  waveform: Waveform | null;
  filmstrip: ClipFilmstrip | null;
}

/** The key of a clip within the open dataset. */
export function clipKey(dataset: string, ref: ClipRef): string {
  return `${dataset}|${ref.split}/${ref.index}`;
}

/** ffmpeg status, the open clip's waveform, filmstrip and playback. */
export const useMediaStore = defineStore('media', () => {
  const session = useSessionStore();
  const wb = useWorkbenchStore();
  const status = shallowRef<MediaStatus | null>(null);
  /** The clip the fields below belong to. */
  const clip = shallowRef<ClipRef | null>(null);
  const waveform = shallowRef<Waveform | null>(null);
  const filmstrip = shallowRef<ClipFilmstrip | null>(null);
  const playback = shallowRef<ClipMediaState | null>(null);
  /** Why the waveform or filmstrip is missing (the workbench works on without them). */
  const error = ref<string | null>(null);
  const cache = new Map<string, ClipMedia>();
  let statusAsked: Promise<void> | null = null;

  const same = (a: ClipRef | null, b: ClipRef): boolean => !!a && a.split === b.split && a.index === b.index;

  /** Asks the worker once whether ffmpeg works. */
  function loadStatus(): Promise<void> {
    statusAsked ??= call('mediaStatus', {}).then((r) => {
      status.value = r.ok ? r.value : { available: false, tools: null, error: r.error, hint: '' };
    });
    return statusAsked;
  }

  async function loadProducts(target: ClipRef, key: string): Promise<void> {
    const hit = cache.get(key);
    if (hit) {
      waveform.value = hit.waveform;
      filmstrip.value = hit.filmstrip;
      return;
    }
    const [w, f] = await Promise.all([call('getWaveform', { ...target }), call('getFilmstrip', { ...target, height: FILMSTRIP_HEIGHT })]);
    if (clip.value !== target) return;
    const got: ClipMedia = { waveform: w.ok ? w.value : null, filmstrip: f.ok ? f.value : null };
    waveform.value = got.waveform;
    filmstrip.value = got.filmstrip;
    const failed = !w.ok ? w.error : !f.ok ? f.error : null;
    error.value = failed ? errorText(failed) : null;
    if (failed) return;
    cache.set(key, got);
    if (cache.size > CLIP_CACHE) cache.delete(cache.keys().next().value!);
  }

  async function loadPlayback(target: ClipRef): Promise<void> {
    const r = await call('clipMedia', { ...target });
    if (clip.value === target && r.ok) playback.value = r.value;
  }

  /** Loads the media of a newly opened clip (stale answers for an earlier clip are dropped). */
  async function open(detail: ClipDetail | null): Promise<void> {
    const target: ClipRef | null = detail && { split: detail.split, index: detail.index };
    clip.value = target;
    waveform.value = null;
    filmstrip.value = null;
    playback.value = null;
    error.value = null;
    if (!detail || !target || !detail.hasVideo) return;
    await loadStatus();
    if (clip.value !== target) return;
    const jobs = [loadPlayback(target)];
    if (status.value?.available) jobs.push(loadProducts(target, clipKey(session.overview?.path ?? '', target)));
    await Promise.all(jobs);
  }

  function onEvent(event: EngineEvent): void {
    if (event.type !== 'media-progress') return;
    const target = clip.value;
    if (!target || !same(target, event.clip) || !playback.value) return;
    playback.value = { ...playback.value, playback: event.playback, fraction: event.fraction, error: event.error ?? null };
    // The converted file's URL comes from the worker (the page never builds media URLs).
    if (event.playback !== 'converting') void loadPlayback(target);
  }

  /** The URL the player loads: the clip's own until the media state is known (then null while converting). */
  function playableUrl(fallback: string | null): string | null {
    return playback.value ? playback.value.videoUrl : fallback;
  }

  bridge().onEvent(onEvent);
  void loadStatus();
  watch(() => wb.clip, (c) => void open(c), { immediate: true });

  return { status, clip, waveform, filmstrip, playback, error, loadStatus, open, playableUrl };
});
