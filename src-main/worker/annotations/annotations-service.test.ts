import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ModalityMask } from '#contract/api';
import type { Dataset } from '#contract/dataset';
import type { ClipExplanation } from '#contract/explain';
import { toErrorInfo } from '../../engine/errors';
import { datasetFingerprint } from '../../engine/train/fingerprint';
import { EngineService } from '../engine-service';
import type { AnnotationDeps } from './annotations-service';
import { AnnotationsService, annotationHandlers, projectFile } from './annotations-service';
import { isStudioMethod } from '#contract/studio-methods';
import { DEMO_DIR, OTHER_DATASET } from '../../../testing/worker/studio-checkpoints';

const none: ModalityMask = { segments: [], whole: false };
const MASKS = { l: { segments: [], whole: true }, a: { segments: [{ start: 0.5, end: 1.25 }], whole: false }, v: none };
const FIRST = { split: 'train', index: 0 } as const;

let demo: Dataset;
let other: Dataset;
let home: string;
let checkpointFile: string;
const services: AnnotationsService[] = [];

/** A studio stand-in: the open dataset and checkpoint are whatever the test says, explain answers fixed numbers. */
class FakeStudio {
  dataset: Dataset = demo;
  checkpoint: { path: string } | null = null;
  explained: unknown[] = [];
  async open(): Promise<{ dataset: Dataset; checkpoint: { path: string } | null }> {
    return { dataset: this.dataset, checkpoint: this.checkpoint };
  }
  now(): { dataset: Dataset; checkpoint: { path: string } | null } {
    return { dataset: this.dataset, checkpoint: this.checkpoint };
  }
  async explain(params: unknown): Promise<ClipExplanation> {
    this.explained.push(params);
    return { masked: { yHat: -0.75 }, complete: { yHat: 1.5 } } as ClipExplanation;
  }
}

function service(studio: FakeStudio): AnnotationsService {
  const s = new AnnotationsService({ workbench: studio as unknown as AnnotationDeps['workbench'], explain: (p) => studio.explain(p), shell: { studioHome: home }, env: {}, now: () => new Date('2024-05-01T10:00:00Z') });
  services.push(s);
  return s;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (err: unknown) => toErrorInfo(err).code,
  );
}

beforeAll(async () => {
  const engine = new EngineService(() => undefined);
  [demo, other] = await Promise.all([engine.dataset(DEMO_DIR), engine.dataset(OTHER_DATASET)]);
});

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'dar-annot-home-'));
  checkpointFile = join(home, 'model.safetensors');
  writeFileSync(checkpointFile, 'not really weights, but bytes to fingerprint');
});

afterEach(() => {
  for (const s of services.splice(0)) s.close();
  rmSync(home, { recursive: true, force: true });
});

describe('AnnotationsService', () => {
  it('routes exactly the eight annotation methods, each a method a page may call', () => {
    const names = Object.keys(annotationHandlers(service(new FakeStudio())));
    expect(names.sort()).toEqual(['annotationSummary', 'annotationsInfo', 'editAnnotation', 'exportAnnotations', 'getAnnotation', 'importAnnotations', 'redoAnnotation', 'undoAnnotation']);
    expect(names.every(isStudioMethod)).toBe(true);
  });

  it('saves label, tag and notes of a clip by ClipRef in <home>/projects/<dataset fingerprint>.sqlite', async () => {
    const a = service(new FakeStudio());
    await a.editAnnotation({ ...FIRST, edit: { kind: 'setLabel', label: -1.5 } });
    await a.editAnnotation({ ...FIRST, edit: { kind: 'addTag', tag: 'sarcasm' } });
    const view = await a.editAnnotation({ ...FIRST, edit: { kind: 'setNotes', notes: 'tone contradicts words' } });
    expect(view.annotation).toMatchObject({ clipId: demo.splits.train.ids[0], label: -1.5, tags: ['sarcasm'], notes: 'tone contradicts words' });
    expect(view.history.undo?.kind).toBe('setNotes');
    const info = await a.annotationsInfo();
    expect(info.open.path).toBe(projectFile(home, datasetFingerprint(demo)));
    expect(existsSync(info.open.path)).toBe(true);
    expect(info).toMatchObject({ dataset: datasetFingerprint(demo), integrity: 'ok', annotatedClips: 1 });
    expect((await a.annotationSummary()).clips).toEqual([{ clipId: demo.splits.train.ids[0], label: -1.5, tags: 1, probes: 0, hasNotes: true }]);
  });

  it('keeps annotations and their undo across a restart (a new service on the same home)', async () => {
    const a = service(new FakeStudio());
    await a.editAnnotation({ ...FIRST, edit: { kind: 'setLabel', label: 2 } });
    await a.editAnnotation({ ...FIRST, edit: { kind: 'setLabel', label: 3 } });
    a.close();
    const b = service(new FakeStudio());
    expect((await b.getAnnotation(FIRST)).annotation.label).toBe(3);
    const undone = await b.undoAnnotation();
    expect(undone.outcome?.clipIds).toEqual([demo.splits.train.ids[0]]);
    expect((await b.getAnnotation(FIRST)).annotation.label).toBe(2);
    expect((await b.redoAnnotation()).history.redo).toBeNull();
    expect((await b.getAnnotation(FIRST)).annotation.label).toBe(3);
  });

  it('saves a probe with the masks, the predictions the open model gave and the checkpoint fingerprint', async () => {
    const studio = new FakeStudio();
    const a = service(studio);
    expect(await codeOf(a.editAnnotation({ ...FIRST, edit: { kind: 'saveProbe', name: 'no words', masks: MASKS } }))).toBe('NO_CHECKPOINT');
    studio.checkpoint = { path: checkpointFile };
    const view = await a.editAnnotation({ ...FIRST, edit: { kind: 'saveProbe', name: 'no words', masks: MASKS } });
    const sha = createHash('sha256').update('not really weights, but bytes to fingerprint').digest('hex');
    expect(view.annotation.probes).toEqual([
      { name: 'no words', masks: MASKS, predictions: { masked: -0.75, complete: 1.5 }, checkpoint: { path: checkpointFile, fingerprint: `sha256:${sha}` }, createdAt: '2024-05-01T10:00:00.000Z' },
    ]);
    expect(studio.explained).toEqual([{ ...FIRST, masks: MASKS }]);
    const deleted = await a.editAnnotation({ ...FIRST, edit: { kind: 'deleteProbe', name: 'no words' } });
    expect(deleted.annotation.probes).toEqual([]);
  });

  it('reopens the project of whichever dataset is open, and each keeps its own annotations', async () => {
    const studio = new FakeStudio();
    const a = service(studio);
    await a.editAnnotation({ ...FIRST, edit: { kind: 'addTag', tag: 'demo-only' } });
    studio.dataset = other;
    const otherInfo = await a.annotationsInfo();
    expect(otherInfo.open.path).toBe(projectFile(home, datasetFingerprint(other)));
    expect(otherInfo.annotatedClips).toBe(0);
    expect((await a.getAnnotation(FIRST)).annotation.tags).toEqual([]);
    studio.dataset = demo;
    expect((await a.getAnnotation(FIRST)).annotation.tags).toEqual(['demo-only']);
    expect(readdirSync(join(home, 'projects')).filter((f) => f.endsWith('.sqlite'))).toHaveLength(2);
  });

  it('answers bad input with coded errors and leaves the project unchanged', async () => {
    const a = service(new FakeStudio());
    const cases: [unknown, string][] = [
      [{ ...FIRST }, 'ARG_INVALID'],
      [{ ...FIRST, edit: { kind: 'rename' } }, 'ARG_INVALID'],
      [{ ...FIRST, edit: { kind: 'setLabel', label: '2' } }, 'ARG_INVALID'],
      [{ ...FIRST, edit: { kind: 'setLabel', label: 3.5 } }, 'ANNOTATIONS_INVALID'],
      [{ ...FIRST, edit: { kind: 'addTag', tag: 'a;b' } }, 'ANNOTATIONS_INVALID'],
      [{ ...FIRST, edit: { kind: 'saveProbe', name: 'x', masks: { a: { segments: [{ start: 2, end: 1 }] } } } }, 'ARG_INVALID'],
      [{ split: 'train', index: 10_000, edit: { kind: 'setNotes', notes: 'x' } }, 'ARG_INVALID'],
      [{ split: 'dev', index: 0, edit: { kind: 'setNotes', notes: 'x' } }, 'ARG_INVALID'],
    ];
    for (const [params, code] of cases) expect([params, await codeOf(a.editAnnotation(params))]).toEqual([params, code]);
    expect(await codeOf(a.exportAnnotations({ format: 'xml' }))).toBe('ARG_INVALID');
    expect(await codeOf(a.importAnnotations({ format: 'json', text: '{"format":"nope"}' }))).toBe('ANNOTATIONS_INVALID');
    expect(await codeOf(a.importAnnotations({ format: 'csv', text: 42 }))).toBe('ARG_INVALID');
    expect((await a.annotationSummary()).clips).toEqual([]);
  });

  it('exports CSV with the MMSA columns filled from the dataset, and imports it into a fresh home', async () => {
    const a = service(new FakeStudio());
    await a.editAnnotation({ ...FIRST, edit: { kind: 'setLabel', label: 1 } });
    await a.editAnnotation({ split: 'test', index: 3, edit: { kind: 'addTag', tag: 'odd' } });
    const csv = await a.exportAnnotations({ format: 'csv' });
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('video_id,clip_id,text,label,mode,tags,notes');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(demo.splits.train.rawText[0]);
    expect(lines[1]).toMatch(/,1,train,,$/);
    expect(lines[2]).toMatch(/,test,odd,$/);
    expect(csv.fileName).toMatch(/annotations\.csv$/);
    a.close();
    rmSync(join(home, 'projects'), { recursive: true });
    const b = service(new FakeStudio());
    const report = await b.importAnnotations({ format: 'csv', text: csv.text });
    expect(report).toMatchObject({ format: 'csv', clips: 2, changed: 2, unknownClips: 0 });
    expect((await b.getAnnotation(FIRST)).annotation.label).toBe(1);
    const foreign = 'video_id,clip_id,label\nnot_in_demo,1,0.5\n';
    expect((await b.importAnnotations({ format: 'csv', text: foreign })).unknownClips).toBe(1);
  });

  it('moves a corrupt project file aside, starts a fresh one and says so', async () => {
    const file = projectFile(home, datasetFingerprint(demo));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'garbage that is not SQLite at all'.repeat(200));
    const info = await service(new FakeStudio()).annotationsInfo();
    expect(info.integrity).toBe('recovered');
    expect(existsSync(info.open.recovered!.movedTo)).toBe(true);
    expect(info.annotatedClips).toBe(0);
  });
});
