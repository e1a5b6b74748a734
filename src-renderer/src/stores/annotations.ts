/**
 * The analyst's annotations of the open clip (label, tags, notes, saved probes), the project's
 * undo/redo, the library's "annotated" marks and export/import. Edits go to the worker one at a
 * time, in order, and each is saved on disk before it answers; notes save as you type (debounced)
 * and on blur, and a clip switch first flushes the previous clip's pending notes.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type {
  AnnotatedClip,
  AnnotationsInfo,
  ClipAnnotation,
  ClipAnnotationView,
  Probe,
  StudioAnnotationEdit,
  StudioImportReport,
  UndoState,
} from '#contract/annotations';
import type { ClipRef } from '#contract/api';
import type { ErrorInfo } from '#contract/errors';
import { call } from '../services/bridge';
import { errorText } from '../services/errors';
import { useSessionStore } from './session';
import { useWorkbenchStore } from './workbench';

/** How long notes wait after the last keystroke before they are saved (ms). */
export const NOTES_DEBOUNCE_MS = 600;

/** What the "saved" indicator says. */
export type SaveStatus = 'idle' | 'saving' | 'saved' | 'error';

/** Annotations of the open clip, project undo, library marks, export and import. */
export const useAnnotationsStore = defineStore('annotations', () => {
  const session = useSessionStore();
  const wb = useWorkbenchStore();
  const view = shallowRef<ClipAnnotationView | null>(null);
  const history = shallowRef<UndoState>({ undo: null, redo: null });
  const summary = shallowRef<Map<string, AnnotatedClip>>(new Map());
  const info = shallowRef<AnnotationsInfo | null>(null);
  const notesDraft = ref('');
  const pending = ref(0);
  const status = ref<SaveStatus>('idle');
  const error = ref<string | null>(null);
  const message = ref<string | null>(null);
  let queue: Promise<unknown> = Promise.resolve();
  let notesTimer: ReturnType<typeof setTimeout> | undefined;
  let notesRef: ClipRef | null = null;

  const annotation = computed<ClipAnnotation | null>(() => view.value?.annotation ?? null);
  /** True while the notes box holds text not yet saved. */
  const notesDirty = (): boolean => notesRef !== null && notesDraft.value !== (annotation.value?.notes ?? '');
  const annotatedCount = computed(() => summary.value.size);

  function fail(e: ErrorInfo): void {
    status.value = 'error';
    error.value = errorText(e);
  }

  function sameClip(a: ClipRef | null | undefined, b: ClipRef | null | undefined): boolean {
    return !!a && !!b && a.split === b.split && a.index === b.index;
  }

  /** Runs calls one after another, so edits reach the store in the order they were made. */
  function enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  }

  function remember(a: ClipAnnotation): void {
    const next = new Map(summary.value);
    const marked = a.label !== null || a.tags.length > 0 || a.notes !== '' || a.probes.length > 0;
    if (marked) next.set(a.clipId, { clipId: a.clipId, label: a.label, tags: a.tags.length, probes: a.probes.length, hasNotes: a.notes !== '' });
    else next.delete(a.clipId);
    summary.value = next;
  }

  function show(v: ClipAnnotationView): void {
    history.value = v.history;
    remember(v.annotation);
    if (!sameClip(v.ref, wb.clipRef)) return;
    // Text typed since the last answer stays in the box (its own save is on the way).
    const clean = view.value === null || notesDraft.value === view.value.annotation.notes;
    view.value = v;
    if (clean) notesDraft.value = v.annotation.notes;
  }

  /** Sends one edit of one clip; resolves true when it was saved. */
  function edit(target: ClipRef, e: StudioAnnotationEdit): Promise<boolean> {
    pending.value++;
    status.value = 'saving';
    return enqueue(async () => {
      try {
        const r = await call('editAnnotation', { split: target.split, index: target.index, edit: e });
        if (!r.ok) {
          fail(r.error);
          return false;
        }
        show(r.value);
        error.value = null;
        return true;
      } finally {
        if (--pending.value === 0 && status.value === 'saving') status.value = 'saved';
      }
    });
  }

  /** Loads the open clip's annotation (flushing the previous clip's notes first). */
  async function load(target: ClipRef | null): Promise<void> {
    flushNotes();
    view.value = null;
    notesDraft.value = '';
    notesRef = target;
    message.value = null;
    if (pending.value === 0) {
      // The indicator speaks for the clip on screen; a save still in flight keeps "Saving…".
      status.value = 'idle';
      error.value = null;
    }
    if (!target) return;
    const r = await enqueue(() => call('getAnnotation', { split: target.split, index: target.index }));
    if (!r.ok) return fail(r.error);
    if (sameClip(target, wb.clipRef)) show(r.value);
  }

  /** Reloads the library marks and the project file's facts. */
  async function reloadSummary(): Promise<void> {
    const [s, i] = await Promise.all([call('annotationSummary', {}), call('annotationsInfo', {})]);
    if (s.ok) summary.value = new Map(s.value.clips.map((c) => [c.clipId, c]));
    else fail(s.error);
    if (i.ok) info.value = i.value;
  }

  /** Sets (or with null clears) the open clip's label. */
  function setLabel(label: number | null): Promise<boolean> {
    return wb.clipRef ? edit(wb.clipRef, { kind: 'setLabel', label }) : Promise.resolve(false);
  }

  /** Adds a tag to the open clip. */
  function addTag(tag: string): Promise<boolean> {
    return wb.clipRef && tag.trim() ? edit(wb.clipRef, { kind: 'addTag', tag: tag.trim() }) : Promise.resolve(false);
  }

  /** Removes a tag from the open clip. */
  function removeTag(tag: string): Promise<boolean> {
    return wb.clipRef ? edit(wb.clipRef, { kind: 'removeTag', tag }) : Promise.resolve(false);
  }

  /** The notes text changed: save it once typing pauses. */
  function typeNotes(text: string): void {
    notesDraft.value = text;
    clearTimeout(notesTimer);
    notesTimer = setTimeout(flushNotes, NOTES_DEBOUNCE_MS);
  }

  /** Saves notes typed but not yet saved (blur, clip switch, debounce). */
  function flushNotes(): void {
    clearTimeout(notesTimer);
    notesTimer = undefined;
    if (notesRef && notesDirty()) void edit(notesRef, { kind: 'setNotes', notes: notesDraft.value });
  }

  /** Saves the workbench's current masks as a named probe of the open clip. */
  function saveProbe(name: string): Promise<boolean> {
    if (!wb.clipRef || !name.trim()) return Promise.resolve(false);
    return edit(wb.clipRef, { kind: 'saveProbe', name: name.trim(), masks: wb.masks });
  }

  /** Puts a saved probe's masks back on the workbench (one mask undo step). */
  function restoreProbe(probe: Probe): void {
    wb.applyMasks(probe.masks);
  }

  /** Deletes a saved probe of the open clip. */
  function deleteProbe(name: string): Promise<boolean> {
    return wb.clipRef ? edit(wb.clipRef, { kind: 'deleteProbe', name }) : Promise.resolve(false);
  }

  async function step(method: 'undoAnnotation' | 'redoAnnotation'): Promise<void> {
    flushNotes();
    const r = await enqueue(() => call(method, {}));
    if (!r.ok) return fail(r.error);
    history.value = r.value.history;
    const o = r.value.outcome;
    if (!o) return;
    const here = annotation.value?.clipId;
    if (here && o.clipIds.includes(here)) await load(wb.clipRef);
    await reloadSummary();
    message.value = `${method === 'undoAnnotation' ? 'Undid' : 'Redid'} ${describeKind(o.edit.kind)}${o.edit.clipId && o.edit.clipId !== here ? ` on ${o.edit.clipId}` : ''}`;
  }

  /** Undoes the project's latest annotation edit (on any clip). */
  const undo = (): Promise<void> => step('undoAnnotation');
  /** Redoes the latest undone annotation edit. */
  const redo = (): Promise<void> => step('redoAnnotation');

  /** The annotations as text to save (the component turns it into a download). */
  async function exportText(format: 'csv' | 'json'): Promise<{ fileName: string; text: string } | null> {
    flushNotes();
    const r = await enqueue(() => call('exportAnnotations', { format }));
    if (!r.ok) {
      fail(r.error);
      return null;
    }
    message.value = `Exported ${r.value.clips} annotated clip${r.value.clips === 1 ? '' : 's'} as ${format.toUpperCase()}`;
    return r.value;
  }

  /** Imports a CSV or JSON file's text (merged into the project, one undoable edit). */
  async function importText(text: string, fileName: string): Promise<StudioImportReport | null> {
    const format = /\.csv$/i.test(fileName) ? 'csv' : 'json';
    const r = await enqueue(() => call('importAnnotations', { text, format }));
    if (!r.ok) {
      fail(r.error);
      return null;
    }
    const rep = r.value;
    await load(wb.clipRef);
    await reloadSummary();
    const unknown = rep.unknownClips ? `; ${rep.unknownClips} clip${rep.unknownClips === 1 ? ' is' : 's are'} not in this dataset` : '';
    message.value = `Imported ${fileName}: ${rep.changed} of ${rep.clips} clips changed${unknown}`;
    error.value = null;
    return rep;
  }

  watch(() => wb.clipRef, (r) => void load(r));
  watch(() => session.overview, (o) => {
    if (!o) return;
    void reloadSummary();
    void load(wb.clipRef);
  }, { immediate: true });

  return {
    view, annotation, history, summary, info, notesDraft, pending, status, error, message, annotatedCount, notesDirty,
    load, reloadSummary, setLabel, addTag, removeTag, typeNotes, flushNotes, saveProbe, restoreProbe, deleteProbe, undo, redo, exportText, importText,
  };
});

const KIND_WORDS: Record<string, string> = {
  setLabel: 'the label', addTag: 'a tag', removeTag: 'a tag removal', setNotes: 'the notes', saveProbe: 'a saved probe', deleteProbe: 'a probe deletion', import: 'an import',
};

/** An edit kind in words ("the label", "an import"). */
export function describeKind(kind: string): string {
  return KIND_WORDS[kind] ?? kind;
}
