import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DarError } from '../errors';
import type { ProbeInput } from './annotation-store';
import { AnnotationStore } from './annotation-store';
import { MAX_NOTES } from './validate';

let dir: string;
let file: string;
const open: AnnotationStore[] = [];

function store(options: Parameters<typeof AnnotationStore.open>[1] = {}): AnnotationStore {
  const s = AnnotationStore.open(file, { now: () => new Date('2024-05-01T10:00:00.000Z'), ...options });
  open.push(s);
  return s;
}

function reopen(s: AnnotationStore, options: Parameters<typeof AnnotationStore.open>[1] = {}): AnnotationStore {
  s.close();
  return store(options);
}

/** The code of the DarError `fn` throws. */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DarError) return err.code;
    throw err;
  }
  throw new Error('no error thrown');
}

/** A probe as the workbench saves it. */
function probe(name: string, masked = 0.5): ProbeInput {
  return {
    name,
    masks: {
      l: { segments: [], whole: true },
      a: { segments: [{ start: 0.25, end: 1.5 }], whole: false },
      v: { segments: [{ start: 0, end: 0.5 }, { start: 2, end: 3.25 }], whole: false },
    },
    predictions: { masked, complete: 1.25 },
    checkpoint: { path: '/models/dar.safetensors', fingerprint: 'sha256:abc' },
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dar-annotations-'));
  file = join(dir, 'project.dar-annotations');
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('AnnotationStore edits', () => {
  it('creates the file in WAL mode at the current schema version and reports it as created', () => {
    const s = store();
    expect(s.report).toMatchObject({ path: file, created: true, fromVersion: 0, version: 1, journalMode: 'wal' });
    expect(reopen(s).report).toMatchObject({ created: false, fromVersion: 1, version: 1 });
  });

  it('returns an empty annotation for a clip never annotated and lists nothing', () => {
    const s = store();
    expect(s.get('vid$_$1')).toEqual({ clipId: 'vid$_$1', label: null, tags: [], notes: '', probes: [], updatedAt: null });
    expect(s.list()).toEqual([]);
  });

  it('sets and clears a label on the -3..3 scale', () => {
    const s = store();
    const out = s.setLabel('vid$_$1', -2.5);
    expect(out.annotation.label).toBe(-2.5);
    expect(out.edit).toMatchObject({ kind: 'setLabel', clipId: 'vid$_$1', at: '2024-05-01T10:00:00.000Z' });
    expect(s.setLabel('vid$_$1', null).annotation.label).toBeNull();
  });

  it.each([[3.01], [-4], [Number.NaN], [Number.POSITIVE_INFINITY], ['1' as unknown as number]])('refuses the label %s', (label) => {
    const s = store();
    expect(codeOf(() => s.setLabel('vid$_$1', label))).toBe('ANNOTATIONS_INVALID');
    expect(s.list()).toEqual([]);
  });

  it('refuses clip ids that are not MMSA "video$_$clip" ids', () => {
    const s = store();
    for (const id of ['vid', '$_$1', 'vid$_$', '', 'a\nb$_$c']) expect(codeOf(() => s.setNotes(id, 'x'))).toBe('ANNOTATIONS_INVALID');
  });

  it('adds tags trimmed, sorted and without duplicates, and removes them', () => {
    const s = store();
    s.addTag('vid$_$1', ' sarcasm ');
    s.addTag('vid$_$1', 'ambiguous');
    expect(s.addTag('vid$_$1', 'sarcasm').edit).toBeNull();
    expect(s.get('vid$_$1').tags).toEqual(['ambiguous', 'sarcasm']);
    expect(s.removeTag('vid$_$1', 'sarcasm').annotation.tags).toEqual(['ambiguous']);
    expect(s.removeTag('vid$_$1', 'never-there').edit).toBeNull();
    for (const bad of ['', '  ', 'a;b', 'two\nlines']) expect(codeOf(() => s.addTag('vid$_$1', bad))).toBe('ANNOTATIONS_INVALID');
  });

  it('replaces notes, keeping any text up to the limit', () => {
    const s = store();
    const notes = 'line one, "quoted"\nline two: café ☕ 𝄞';
    expect(s.setNotes('vid$_$1', notes).annotation.notes).toBe(notes);
    expect(codeOf(() => s.setNotes('vid$_$1', 'x'.repeat(MAX_NOTES + 1)))).toBe('ANNOTATIONS_INVALID');
    expect(s.get('vid$_$1').notes).toBe(notes);
  });

  it('saves probes with masks, predictions and checkpoint, replaces them by name and deletes them', () => {
    const s = store();
    s.saveProbe('vid$_$1', probe('no audio', 0.5));
    s.saveProbe('vid$_$1', probe('early', -1));
    const probes = s.get('vid$_$1').probes;
    expect(probes.map((p) => p.name)).toEqual(['early', 'no audio']);
    expect(probes[1]).toEqual({ ...probe('no audio', 0.5), createdAt: '2024-05-01T10:00:00.000Z' });
    s.saveProbe('vid$_$1', probe('early', 2));
    expect(s.get('vid$_$1').probes[0].predictions.masked).toBe(2);
    expect(s.deleteProbe('vid$_$1', 'early').annotation.probes.map((p) => p.name)).toEqual(['no audio']);
    expect(s.deleteProbe('vid$_$1', 'early').edit).toBeNull();
  });

  it('refuses probes with bad segments, predictions or checkpoint', () => {
    const s = store();
    const base = probe('p');
    const bad: ProbeInput[] = [
      { ...base, name: ' ' },
      { ...base, masks: { ...base.masks, a: { segments: [{ start: 2, end: 1 }], whole: false } } },
      { ...base, masks: { ...base.masks, v: { segments: [{ start: -1, end: 1 }], whole: false } } },
      { ...base, predictions: { masked: Number.NaN, complete: 0 } },
      { ...base, checkpoint: { path: '', fingerprint: 'x' } },
    ];
    for (const p of bad) expect(codeOf(() => s.saveProbe('vid$_$1', p))).toBe('ANNOTATIONS_INVALID');
    expect(s.list()).toEqual([]);
  });

  it('applies edits given as data', () => {
    const s = store();
    s.apply({ kind: 'setLabel', clipId: 'v$_$1', label: 1 });
    s.apply({ kind: 'addTag', clipId: 'v$_$1', tag: 't' });
    s.apply({ kind: 'setNotes', clipId: 'v$_$1', notes: 'n' });
    s.apply({ kind: 'saveProbe', clipId: 'v$_$1', probe: { ...probe('p'), createdAt: '2024-01-01T00:00:00.000Z' } });
    expect(s.get('v$_$1')).toMatchObject({ label: 1, tags: ['t'], notes: 'n', probes: [{ name: 'p' }] });
    s.apply({ kind: 'removeTag', clipId: 'v$_$1', tag: 't' });
    s.apply({ kind: 'deleteProbe', clipId: 'v$_$1', name: 'p' });
    expect(s.get('v$_$1')).toMatchObject({ tags: [], probes: [] });
  });

  it('keeps datasets apart: the same clip id in another dataset is another clip', () => {
    const a = store({ dataset: 'fp-a' });
    a.setLabel('v$_$1', 1);
    a.close();
    const b = store({ dataset: 'fp-b' });
    expect(b.get('v$_$1').label).toBeNull();
    expect(b.undo()).toBeNull();
  });

  it('lists annotated clips by id and drops a clip whose annotation is emptied', () => {
    const s = store();
    s.setLabel('b$_$1', 1);
    s.addTag('a$_$1', 'x');
    expect(s.list().map((c) => c.clipId)).toEqual(['a$_$1', 'b$_$1']);
    s.removeTag('a$_$1', 'x');
    expect(s.list().map((c) => c.clipId)).toEqual(['b$_$1']);
  });

  it('keeps every edit after a reopen', () => {
    const s = store();
    s.setLabel('v$_$1', 0.5);
    s.addTag('v$_$1', 'x');
    s.setNotes('v$_$1', 'n');
    s.saveProbe('v$_$1', probe('p'));
    const before = s.get('v$_$1');
    expect(reopen(s).get('v$_$1')).toEqual(before);
  });

  it('refuses calls after close', () => {
    const s = store();
    s.close();
    expect(codeOf(() => s.get('v$_$1'))).toBe('ARG_INVALID');
  });
});

describe('AnnotationStore undo and redo', () => {
  it('undoes each kind of edit back to the previous value, last first, and redoes them in order', () => {
    const s = store();
    s.setLabel('v$_$1', 1);
    s.setLabel('v$_$1', 2);
    s.addTag('v$_$1', 'x');
    s.setNotes('v$_$1', 'first');
    s.setNotes('v$_$1', 'second');
    s.saveProbe('v$_$1', probe('p', 0.1));
    s.saveProbe('v$_$1', probe('p', 0.2));
    s.deleteProbe('v$_$1', 'p');
    const states = [];
    for (let k = 0; k < 8; k++) {
      states.push(s.get('v$_$1'));
      expect(s.undo()).not.toBeNull();
    }
    expect(s.get('v$_$1').updatedAt).toBeNull();
    expect(s.undo()).toBeNull();
    const redone = [];
    for (let k = 0; k < 8; k++) {
      expect(s.redo()).not.toBeNull();
      redone.push(s.get('v$_$1'));
    }
    expect(redone).toEqual(states.reverse());
    expect(s.redo()).toBeNull();
  });

  it('reports which edit undo and redo act on and which clips they touched', () => {
    const s = store();
    const first = s.setLabel('v$_$1', 1).edit!;
    const second = s.addTag('v$_$2', 't').edit!;
    expect(s.undoState()).toEqual({ undo: second, redo: null });
    expect(s.undo()).toEqual({ edit: second, clipIds: ['v$_$2'] });
    expect(s.undoState()).toEqual({ undo: first, redo: second });
    expect(s.redo()).toEqual({ edit: second, clipIds: ['v$_$2'] });
  });

  it('drops the redo branch on a new edit, but not on a no-op', () => {
    const s = store();
    s.setLabel('v$_$1', 1);
    s.setLabel('v$_$1', 2);
    s.undo();
    expect(s.setLabel('v$_$1', 1).edit).toBeNull();
    expect(s.undoState().redo).not.toBeNull();
    s.setLabel('v$_$1', -1);
    expect(s.undoState().redo).toBeNull();
    expect(s.redo()).toBeNull();
    expect(s.get('v$_$1').label).toBe(-1);
  });

  it('undoes and redoes edits made before a restart', () => {
    let s = store();
    s.setLabel('v$_$1', 1);
    s.addTag('v$_$1', 'x');
    s.saveProbe('v$_$1', probe('p'));
    s = reopen(s);
    expect(s.undo()?.edit.kind).toBe('saveProbe');
    expect(s.undo()?.edit.kind).toBe('addTag');
    s = reopen(s);
    expect(s.get('v$_$1')).toMatchObject({ label: 1, tags: [], probes: [] });
    expect(s.redo()?.edit.kind).toBe('addTag');
    s = reopen(s);
    expect(s.get('v$_$1').tags).toEqual(['x']);
    expect(s.undoState().redo?.kind).toBe('saveProbe');
  });

  it('never reuses an edit id, even after undone edits are dropped', () => {
    const s = store();
    const a = s.setLabel('v$_$1', 1).edit!.id;
    const b = s.setLabel('v$_$1', 2).edit!.id;
    s.undo();
    const c = s.setLabel('v$_$1', 3).edit!.id;
    expect(b).toBeGreaterThan(a);
    expect(c).toBeGreaterThan(b);
  });
});
