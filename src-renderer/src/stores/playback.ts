/** Playback and zoom of the workbench: the playhead all tracks share and the visible window. */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import { clamp } from '../timeline/geometry';

/** Playhead (seconds), play state, zoom factor over "whole clip" and the window's left edge. */
export const usePlaybackStore = defineStore('playback', () => {
  const playhead = ref(0);
  const playing = ref(false);
  const duration = ref(0);
  /** Bumped on every seek so the video can follow without echoing its own time back. */
  const seekSerial = ref(0);
  /** 1 = the whole clip fills the track. */
  const zoom = ref(1);
  /** Seconds at the left edge of the tracks. */
  const viewStart = ref(0);

  /** Resets for a clip of `seconds`. */
  function reset(seconds: number): void {
    duration.value = seconds;
    playing.value = false;
    playhead.value = 0;
    zoom.value = 1;
    viewStart.value = 0;
    seekSerial.value++;
  }

  /** Moves the playhead (user action). */
  function seek(t: number): void {
    playhead.value = clamp(t, 0, duration.value);
    seekSerial.value++;
  }

  /** The media clock moved (no seek echo). */
  function tick(t: number): void {
    playhead.value = clamp(t, 0, duration.value);
  }

  /** Starts or pauses; playing from the end starts over. */
  function togglePlay(): void {
    if (!playing.value && playhead.value >= duration.value - 1e-3) seek(0);
    playing.value = !playing.value;
  }

  /** Stores the visible window (zoom relative to "whole clip"). */
  function setView(nextZoom: number, start: number): void {
    zoom.value = Math.max(1, nextZoom);
    viewStart.value = Math.max(0, start);
  }

  return { playhead, playing, duration, seekSerial, zoom, viewStart, reset, seek, tick, togglePlay, setView };
});
