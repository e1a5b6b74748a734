/**
 * The annotation methods of the fake StudioApi: an in-memory project with whole-project undo
 * snapshots, enough for the store's tests (the real store's rules are tested in the engine).
 */
import type { ClipAnnotation, EditSummary, StudioAnnotationMethods, UndoState } from '#contract/annotations';
import type { StudioApi } from '#contract/api';
import type { Result } from '#contract/errors';

type AnnotationApi = Pick<StudioApi, keyof StudioAnnotationMethods>;
type Project = Map<string, ClipAnnotation>;

function ok<T>(value: T): Promise<Result<T>> {
  return Promise.resolve({ ok: true, value });
}

function fail<T>(code: 'ANNOTATIONS_INVALID' | 'NO_CHECKPOINT', message: string): Promise<Result<T>> {
  return Promise.resolve({ ok: false, error: { code, message } });
}

function empty(clipId: string): ClipAnnotation {
  return { clipId, label: null, tags: [], notes: '', probes: [], updatedAt: null };
}

/** Builds the fake's annotation methods; `idOf` maps a ClipRef index to its clip id, `log` records calls. */
export function fakeAnnotations(idOf: (index: number) => string, log: (method: string, params: unknown) => void, withModel = true): AnnotationApi {
  let project: Project = new Map();
  const past: { project: Project; edit: EditSummary }[] = [];
  const future: { project: Project; edit: EditSummary }[] = [];
  let nextId = 1;
  const get = (id: string): ClipAnnotation => project.get(id) ?? empty(id);
  const history = (): UndoState => ({ undo: past.at(-1)?.edit ?? null, redo: future[0]?.edit ?? null });
  const step = (from: typeof past, to: typeof past, pick: 'pop' | 'shift') => {
    const s = from[pick]();
    if (!s) return ok({ outcome: null, history: history() });
    const clipIds = [...new Set([...project.keys(), ...s.project.keys()])];
    to[pick === 'pop' ? 'unshift' : 'push']({ project, edit: s.edit });
    project = s.project;
    return ok({ outcome: { edit: s.edit, clipIds }, history: history() });
  };
  return {
    getAnnotation: (ref) => (log('getAnnotation', ref), ok({ ref, annotation: get(idOf(ref.index)), history: history() })),
    editAnnotation: (p) => {
      log('editAnnotation', p);
      const id = idOf(p.index);
      const a = structuredClone(get(id));
      const e = p.edit;
      if (e.kind === 'setLabel') {
        if (e.label !== null && (e.label < -3 || e.label > 3)) return fail('ANNOTATIONS_INVALID', `label: expected a number in [-3, 3], got ${e.label}`);
        a.label = e.label;
      } else if (e.kind === 'addTag') a.tags = [...new Set([...a.tags, e.tag.trim()])].sort();
      else if (e.kind === 'removeTag') a.tags = a.tags.filter((t) => t !== e.tag);
      else if (e.kind === 'setNotes') a.notes = e.notes;
      else if (e.kind === 'deleteProbe') a.probes = a.probes.filter((x) => x.name !== e.name);
      else if (!withModel) return fail('NO_CHECKPOINT', 'no model');
      else {
        const probe = { name: e.name, masks: e.masks, predictions: { masked: 0.5, complete: 1 }, checkpoint: { path: '/m', fingerprint: 'sha256:0' }, createdAt: '2024-01-01T00:00:00Z' };
        a.probes = [...a.probes.filter((x) => x.name !== e.name), probe].sort((x, y) => (x.name < y.name ? -1 : 1));
      }
      const edit: EditSummary = { id: nextId++, kind: e.kind, clipId: id, at: '2024-01-01T00:00:00Z' };
      past.push({ project, edit });
      future.length = 0;
      project = new Map(project).set(id, { ...a, updatedAt: edit.at });
      return ok({ ref: { split: p.split, index: p.index }, annotation: get(id), history: history(), edit });
    },
    undoAnnotation: (p) => (log('undoAnnotation', p), step(past, future, 'pop')),
    redoAnnotation: (p) => (log('redoAnnotation', p), step(future, past, 'shift')),
    annotationSummary: (p) => {
      log('annotationSummary', p);
      const clips = [...project.values()].map((a) => ({ clipId: a.clipId, label: a.label, tags: a.tags.length, probes: a.probes.length, hasNotes: a.notes !== '' }));
      return ok({ clips });
    },
    exportAnnotations: (p) => (log('exportAnnotations', p), ok({ format: p.format, fileName: `fake-annotations.${p.format}`, text: JSON.stringify([...project.values()]), clips: project.size })),
    importAnnotations: (p) => (log('importAnnotations', p), ok({ format: p.format, clips: 1, changed: 1, edit: null, unknownClips: 0 })),
    annotationsInfo: (p) => {
      log('annotationsInfo', p);
      const open = { path: '/home/projects/fake.sqlite', created: false, fromVersion: 1, version: 1, journalMode: 'wal' };
      return ok({ dataset: 'fake', open, integrity: 'ok' as const, annotatedClips: project.size });
    },
  };
}
