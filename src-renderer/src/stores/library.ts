/**
 * The library: the query (split, search, sort) and the rows fetched page by page as the
 * virtualized list scrolls, so 22k clips never load at once.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef, triggerRef } from 'vue';
import type { ClipQuery, ClipRow } from '#contract/api';
import type { SplitName } from '#contract/dataset';
import type { EngineEvent } from '#contract/worker-protocol';
import { bridge, call } from '../services/bridge';
import { errorText } from '../services/errors';

/** Rows per request. */
export const PAGE_SIZE = 100;

/** How often to refresh while the host is still predicting the whole dataset (ms). */
const PREDICTING_POLL_MS = 1500;

/** Sort keys offered by the library. */
export type SortKey = NonNullable<ClipQuery['sort']>;

/** The library's query, its rows by page, and the selected clip. */
export const useLibraryStore = defineStore('library', () => {
  const split = ref<SplitName | 'all'>('all');
  const search = ref('');
  const sort = ref<SortKey>('index');
  const descending = ref(false);
  const total = ref(0);
  const predicting = ref(false);
  const error = ref<string | null>(null);
  const loaded = ref(false);
  /** Page index -> rows; a shallowRef triggered by hand so 22k rows stay non-reactive. */
  const pages = shallowRef(new Map<number, ClipRow[]>());
  let generation = 0;
  const inFlight = new Set<number>();
  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  let unsubscribe: (() => void) | null = null;
  /** Complete-input predictions done of total while the host computes them (null when idle). */
  const predictProgress = shallowRef<{ done: number; total: number } | null>(null);

  function onEvent(event: EngineEvent): void {
    if (event.type !== 'predict-progress') return;
    const finished = event.done >= event.total;
    predictProgress.value = finished ? null : { done: event.done, total: event.total };
    // All predictions are in: refetch what is loaded so the rows show them now, not at the next poll.
    if (finished) for (const page of pages.value.keys()) void fetchPage(page);
  }

  function query(page: number): ClipQuery {
    const s = search.value.trim();
    return { split: split.value, search: s || undefined, sort: sort.value, descending: descending.value, offset: page * PAGE_SIZE, limit: PAGE_SIZE };
  }

  async function fetchPage(page: number): Promise<void> {
    const gen = generation;
    inFlight.add(page);
    try {
      const r = await call('listClips', query(page));
      if (gen !== generation) return; // the query changed meanwhile: this page is stale
      if (!r.ok) {
        error.value = errorText(r.error);
        return;
      }
      error.value = null;
      total.value = r.value.total;
      pages.value.set(page, r.value.rows);
      triggerRef(pages);
      loaded.value = true;
      setPredicting(r.value.predicting);
    } finally {
      if (gen === generation) inFlight.delete(page);
    }
  }

  function setPredicting(value: boolean): void {
    predicting.value = value;
    if (!value || pollTimer) return;
    pollTimer = setTimeout(() => {
      pollTimer = null;
      // Refetch what is loaded in place: rows keep showing until their predictions arrive.
      for (const page of pages.value.keys()) void fetchPage(page);
    }, PREDICTING_POLL_MS);
  }

  /** The row at list position `i`, if its page has arrived. */
  function rowAt(i: number): ClipRow | undefined {
    return pages.value.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE];
  }

  /** Makes sure rows first..last (inclusive) are loaded or loading. */
  function ensureRange(first: number, last: number): void {
    const hi = Math.max(first, Math.min(last, total.value - 1));
    for (let page = Math.floor(Math.max(0, first) / PAGE_SIZE); page <= Math.floor(hi / PAGE_SIZE); page++) {
      if (!pages.value.has(page) && !inFlight.has(page)) void fetchPage(page);
    }
  }

  /** Starts the query over (after split/search/sort changed). */
  async function reload(): Promise<void> {
    unsubscribe ??= bridge().onEvent(onEvent);
    generation++;
    inFlight.clear();
    pages.value = new Map();
    await fetchPage(0);
  }

  /** Changes the query and reloads. */
  async function setQuery(q: { split?: SplitName | 'all'; search?: string; sort?: SortKey; descending?: boolean }): Promise<void> {
    if (q.split !== undefined) split.value = q.split;
    if (q.search !== undefined) search.value = q.search;
    if (q.sort !== undefined) sort.value = q.sort;
    if (q.descending !== undefined) descending.value = q.descending;
    await reload();
  }

  return { split, search, sort, descending, total, predicting, predictProgress, error, loaded, pages, rowAt, ensureRange, reload, setQuery };
});
