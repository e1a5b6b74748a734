/** The CSS width of an element, kept current by a ResizeObserver that is released on unmount. */
import { onBeforeUnmount, onMounted, ref } from 'vue';

/** A ref to bind on the element and its width in pixels. */
export function useElementWidth() {
  const el = ref<HTMLElement | null>(null);
  const width = ref(0);
  let observer: ResizeObserver | null = null;
  onMounted(() => {
    if (!el.value) return;
    observer = new ResizeObserver(() => {
      if (el.value) width.value = el.value.clientWidth;
    });
    observer.observe(el.value);
    width.value = el.value.clientWidth;
  });
  onBeforeUnmount(() => observer?.disconnect());
  return { el, width };
}
