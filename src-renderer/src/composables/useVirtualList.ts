/**
 * Virtualized list: only the rows in (or near) the viewport are rendered, so a 22k-clip
 * library costs the same as a 20-clip one. The range maths is pure and exported for tests.
 */
import { computed, onBeforeUnmount, onMounted, ref, type Ref } from 'vue';

/** First and last row index to render (inclusive), and the spacer above them in pixels. */
export interface VirtualRange {
  first: number;
  last: number;
  offsetTop: number;
}

/** The rows to render for a scroll position. An empty list gives first > last. */
export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 6): VirtualRange {
  if (total <= 0 || rowHeight <= 0) return { first: 0, last: -1, offsetTop: 0 };
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total - 1, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return { first, last, offsetTop: first * rowHeight };
}

/** Options of useVirtualList. */
export interface VirtualListOptions {
  /** Row count. */
  total: Ref<number>;
  /** Fixed row height in pixels. */
  rowHeight: number;
  /** Extra rows rendered above and below the viewport [6]. */
  overscan?: number;
}

/** Tracks a scroll container and returns the range of rows to render. */
export function useVirtualList(options: VirtualListOptions) {
  const container = ref<HTMLElement | null>(null);
  const scrollTop = ref(0);
  const height = ref(600);
  let observer: ResizeObserver | null = null;

  const range = computed(() => visibleRange(scrollTop.value, height.value, options.rowHeight, options.total.value, options.overscan));
  const totalHeight = computed(() => options.total.value * options.rowHeight);
  const indices = computed(() => {
    const { first, last } = range.value;
    return Array.from({ length: Math.max(0, last - first + 1) }, (_, k) => first + k);
  });

  function onScroll(): void {
    if (container.value) scrollTop.value = container.value.scrollTop;
  }

  /** Scrolls so row `i` is visible. */
  function scrollToRow(i: number): void {
    const el = container.value;
    if (!el) return;
    const top = i * options.rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + options.rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + options.rowHeight - el.clientHeight;
    onScroll();
  }

  onMounted(() => {
    if (!container.value) return;
    height.value = container.value.clientHeight;
    observer = new ResizeObserver(() => {
      if (container.value) height.value = container.value.clientHeight;
    });
    observer.observe(container.value);
  });
  onBeforeUnmount(() => observer?.disconnect());

  return { container, range, indices, totalHeight, onScroll, scrollToRow, scrollTop };
}
