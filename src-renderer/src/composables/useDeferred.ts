/**
 * A copy of a value that follows it one frame late. The workbench paints the new prediction
 * first and the heavier views of the same answer (heatmaps, error strips) right after, so a
 * mask edit's answer shows as soon as it arrives.
 */
import { onBeforeUnmount, shallowRef, watch, type Ref, type WatchSource } from 'vue';

/** Follows `source` after the next frame has been painted. */
export function useDeferred<T>(source: WatchSource<T>, initial: T): Ref<T> {
  const out = shallowRef(initial) as Ref<T>;
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(
    source,
    (value) => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      // rAF then a task: the task runs after that frame is on screen.
      frame = requestAnimationFrame(() => {
        timer = setTimeout(() => (out.value = value), 0);
      });
    },
    { immediate: true },
  );
  onBeforeUnmount(() => {
    cancelAnimationFrame(frame);
    clearTimeout(timer);
  });
  return out;
}
