/**
 * Drives the playhead from a clock when there is no video to follow, so clips without video
 * still play across the tracks. Stops at the end of the clip.
 */
import { onBeforeUnmount, watch, type Ref } from 'vue';
import { usePlaybackStore } from '../stores/playback';

/** Runs the clock while `enabled` (no video) and the store is playing. */
export function usePlaybackClock(enabled: Ref<boolean>): void {
  const pb = usePlaybackStore();
  let frame = 0;
  let last = 0;

  function step(now: number): void {
    const dt = (now - last) / 1000;
    last = now;
    const t = pb.playhead + dt;
    if (t >= pb.duration) {
      pb.tick(pb.duration);
      pb.playing = false;
      frame = 0;
      return;
    }
    pb.tick(t);
    frame = requestAnimationFrame(step);
  }

  function stop(): void {
    if (frame) cancelAnimationFrame(frame);
    frame = 0;
  }

  watch(
    () => enabled.value && pb.playing,
    (run) => {
      stop();
      if (!run) return;
      last = performance.now();
      frame = requestAnimationFrame(step);
    },
    { immediate: true },
  );
  onBeforeUnmount(stop);
}
