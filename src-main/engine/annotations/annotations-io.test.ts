import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnnotationsFile } from '#contract/annotations';
import { parseCsv } from '../data/feature-files/csv';
import type { ProbeInput } from './annotation-store';
import { AnnotationStore } from './annotation-store';
import { failure } from '../../../testing/engine/failure';

let dir: string;
const open: AnnotationStore[] = [];

function store(name: string, dataset = 'fp-1'): AnnotationStore {
  const s = AnnotationStore.open(join(dir, name), { dataset, now: () => new Date('2024-05-01T10:00:00.000Z') });
  open.push(s);
  return s;
}

const probe: ProbeInput = {
  name: 'audio, "muted"',
  masks: { l: { segments: [], whole: false }, a: { segments: [], whole: true }, v: { segments: [{ start: 0.1, end: 0.7 }], whole: false } },
  predictions: { masked: -0.75, complete: 1.5 },
  checkpoint: { path: 'C:\\models\\dar, v2.safetensors', fingerprint: 'sha256:0f' },
};

/** Annotations with everything a CSV can trip on. */
function fill(s: AnnotationStore): void {
  s.setLabel('vid,1$_$a"b', -3);
  s.setNotes('vid,1$_$a"b', 'says "hi", then\nleaves; café ☕ 𝄞\r\nend ');
  s.addTag('vid,1$_$a"b', 'sarcasm');
  s.addTag('vid,1$_$a"b', 'ünïcode tag');
  s.setLabel('v2$_$7', 0.1 + 0.2);
  s.setNotes('v3$_$x', ' leading space');
  s.saveProbe('v2$_$7', probe);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dar-annotations-io-'));
});

afterEach(() => {
  for (const s of open.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CSV export and import', () => {
  it('writes MMSA label.csv columns plus tags and notes, text and mode from the dataset', () => {
    const s = store('a.db');
    s.setLabel('vidA$_$1', 1.5);
    s.addTag('vidA$_$1', 'b');
    s.addTag('vidA$_$1', 'a');
    const rows = parseCsv(s.exportCsv([
      { clipId: 'vidA$_$0', text: 'not annotated', mode: 'train' },
      { clipId: 'vidA$_$1', text: 'hello, world', mode: 'test' },
    ]));
    expect(rows).toEqual([
      ['video_id', 'clip_id', 'text', 'label', 'mode', 'tags', 'notes'],
      ['vidA', '0', 'not annotated', '', 'train', '', ''],
      ['vidA', '1', 'hello, world', '1.5', 'test', 'a;b', ''],
    ]);
  });

  it('round-trips labels, tags and notes with quotes, commas, line breaks and unicode', () => {
    const a = store('a.db');
    fill(a);
    const b = store('b.db');
    const report = b.importCsv(a.exportCsv());
    expect(report).toMatchObject({ format: 'csv', clips: 3, changed: 3, edit: { kind: 'import', clipId: null } });
    const strip = (s: AnnotationStore) => s.list().map(({ probes: _p, ...rest }) => rest);
    expect(strip(b)).toEqual(strip(a));
  });

  it('imports a plain MMSA label.csv: label column only, text and mode ignored', () => {
    const s = store('a.db');
    s.setNotes('vidA$_$1', 'kept');
    s.importCsv('video_id,clip_id,text,label,annotation,mode\nvidA,1,"hello, world",1.5,Positive,train\nvidB,2,x,-2,Negative,test\n');
    expect(s.get('vidA$_$1')).toMatchObject({ label: 1.5, notes: 'kept' });
    expect(s.get('vidB$_$2').label).toBe(-2);
  });

  it.each([
    ['a label out of range', 'video_id,clip_id,label\nv,1,1\nv,2,3.5\n', /line 3: .*\[-3, 3\]/],
    ['a label that is not a number', 'video_id,clip_id,label\nv,1,1\nv,2,high\n', /line 3: .*'high'/],
    ['a row of the wrong width', 'video_id,clip_id,label,notes\nv,1,1,"a\nb"\nv,2,1\n', /line 4: expected 4 fields/],
    ['a repeated clip', 'video_id,clip_id,label\nv,1,1\nv,2,1\nv,1,2\n', /line 4: clip v\$_\$1 repeats line 2/],
    ['an empty clip id', 'video_id,clip_id,label\nv,1,1\nv,,1\n', /line 3: .*video\$_\$clip/],
    ['a tag with a line break', 'video_id,clip_id,tags\nv,1,"a;b\nc"\n', /line 2: tag/],
    ['an unclosed quote', 'video_id,clip_id,label\nv,1,1\nv,"2,1\n', /line 3: unclosed/],
    ['a missing clip_id column', 'video_id,label\nv,1\n', /line 1: missing column\(s\) clip_id/],
    ['no annotation column', 'video_id,clip_id,text\nv,1,x\n', /nothing to import/],
  ])('rejects %s with its line, changing nothing', (_, text, message) => {
    const s = store('a.db');
    s.setLabel('v$_$1', -1);
    const err = failure(() => s.importCsv(text, { name: 'in.csv' }));
    expect(err.code).toBe('ANNOTATIONS_INVALID');
    expect(err.message).toMatch(/^in\.csv: /);
    expect(err.message).toMatch(message);
    expect(s.list().map((c) => [c.clipId, c.label])).toEqual([['v$_$1', -1]]);
    expect(s.undoState().undo?.kind).toBe('setLabel');
  });
});

describe('JSON export and import', () => {
  it('round-trips everything, probes included', () => {
    const a = store('a.db');
    fill(a);
    const json = a.exportJson();
    const file = JSON.parse(json) as AnnotationsFile;
    expect(file).toMatchObject({ format: 'dar-annotations', version: 1, dataset: 'fp-1' });
    const b = store('b.db', 'fp-2');
    expect(b.importJson(json)).toMatchObject({ format: 'json', clips: 3, changed: 3 });
    expect(b.list()).toEqual(a.list());
  });

  it('merges by default and replaces everything with replace: true', () => {
    const s = store('a.db');
    s.setLabel('keep$_$1', 1);
    s.addTag('both$_$1', 'old');
    const other = store('b.db');
    other.addTag('both$_$1', 'new');
    const json = other.exportJson();
    s.importJson(json);
    expect(s.list().map((c) => [c.clipId, c.tags])).toEqual([['both$_$1', ['new']], ['keep$_$1', []]]);
    s.importJson(json, { replace: true });
    expect(s.list().map((c) => c.clipId)).toEqual(['both$_$1']);
  });

  it('undoes a whole import in one step, even after a reopen', () => {
    const s = store('a.db');
    s.setLabel('v$_$1', 1);
    const other = store('b.db');
    other.setLabel('v$_$1', 2);
    other.saveProbe('v$_$2', probe);
    s.importJson(other.exportJson());
    expect(s.list()).toHaveLength(2);
    s.close();
    const again = store('a.db');
    expect(again.undo()?.edit.kind).toBe('import');
    expect(again.list().map((c) => [c.clipId, c.label])).toEqual([['v$_$1', 1]]);
  });

  it('rolls back an import that fails half-way through its writes', () => {
    const file = join(dir, 'a.db');
    const s = store('a.db');
    s.setLabel('v$_$0', 1);
    // A trigger (added behind the store's back) makes SQLite abort at the last clip's tag.
    const side = new BetterSqlite3(file);
    side.exec("CREATE TRIGGER boom BEFORE INSERT ON tags WHEN NEW.tag = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END");
    side.close();
    const clips = Array.from({ length: 50 }, (_, i) => ({ clipId: `v$_$${i}`, label: -1, tags: i === 49 ? ['boom'] : ['ok'] }));
    expect(() => s.importJson(JSON.stringify({ format: 'dar-annotations', version: 1, dataset: 'x', clips }))).toThrow(/boom/);
    expect(s.list().map((c) => [c.clipId, c.label, c.tags])).toEqual([['v$_$0', 1, []]]);
    expect(s.undoState().undo?.kind).toBe('setLabel');
  });

  it('reports nothing changed for an import of what the store already holds', () => {
    const s = store('a.db');
    fill(s);
    expect(s.importJson(s.exportJson())).toMatchObject({ changed: 0, edit: null });
  });

  it('rejects a bad clip naming its index and line, and changes nothing', () => {
    const s = store('a.db');
    fill(s);
    const before = s.list();
    const file = JSON.parse(s.exportJson()) as AnnotationsFile;
    const saved = file.clips.find((c) => c.probes.length > 0)!.probes[0];
    file.clips[2].probes = [{ ...structuredClone(saved), name: 'p' }];
    file.clips[2].probes[0].masks.a.segments = [{ start: 3, end: 1 }];
    file.clips[0].label = 2;
    const text = JSON.stringify(file, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes(`"clipId": ${JSON.stringify(file.clips[2].clipId)}`)) + 1;
    const err = failure(() => s.importJson(text, { name: 'in.json' }));
    expect(err.code).toBe('ANNOTATIONS_INVALID');
    expect(err.message).toContain(`in.json: clips[2] (line ${line}): probes[0].masks.a.segments[0]`);
    expect(s.list()).toEqual(before);
  });

  it.each([
    ['broken JSON', '{"format": "dar-annotations",\n "version": 1,,}', /line 3|not valid JSON/],
    ['another JSON file', '{"hello": 1}', /not a DAR annotations export/],
    ['a newer format version', '{"format": "dar-annotations", "version": 2, "dataset": "x", "clips": []}', /version 2/],
    ['a label out of range', '{"format": "dar-annotations", "version": 1, "dataset": "x", "clips": [{"clipId": "v$_$1", "label": 9}]}', /clips\[0\] \(line 1\): label/],
    ['a repeated clip', '{"format": "dar-annotations", "version": 1, "dataset": "x", "clips": [{"clipId": "v$_$1"}, {"clipId": "v$_$1"}]}', /repeats clips\[0\]/],
    ['two probes of one name', `{"format": "dar-annotations", "version": 1, "dataset": "x", "clips": [{"clipId": "v$_$1", "probes": [${JSON.stringify({ ...probe, createdAt: '2024-01-01T00:00:00Z' })}, ${JSON.stringify({ ...probe, createdAt: '2024-01-01T00:00:00Z' })}]}]}`, /used twice/],
  ])('rejects %s', (_, text, message) => {
    const s = store('a.db');
    const err = failure(() => s.importJson(text));
    expect(err.code).toBe('ANNOTATIONS_INVALID');
    expect(err.message).toMatch(message);
    expect(s.list()).toEqual([]);
  });
});

describe('export and import files', () => {
  it('writes and reads .csv and .json files by extension', async () => {
    const a = store('a.db');
    fill(a);
    await a.exportToFile(join(dir, 'out.json'));
    await a.exportToFile(join(dir, 'out.csv'));
    expect(readFileSync(join(dir, 'out.csv'), 'utf8').split('\n')[0]).toBe('video_id,clip_id,text,label,mode,tags,notes');
    const b = store('b.db');
    await b.importFromFile(join(dir, 'out.json'));
    expect(b.list()).toEqual(a.list());
    const c = store('c.db');
    expect((await c.importFromFile(join(dir, 'out.csv'))).format).toBe('csv');
  });

  it('answers a missing import file with FILE_NOT_FOUND', async () => {
    const s = store('a.db');
    await expect(s.importFromFile(join(dir, 'nope.json'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
    writeFileSync(join(dir, 'x.csv'), 'video_id,clip_id,label\nv,1,7\n');
    await expect(s.importFromFile(join(dir, 'x.csv'))).rejects.toMatchObject({ code: 'ANNOTATIONS_INVALID', message: expect.stringContaining('x.csv: line 2') });
  });
});
