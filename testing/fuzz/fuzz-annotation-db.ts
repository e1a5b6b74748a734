/** Seeds and the reader for fuzzing the annotations store's own files and exports. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnnotationStore } from '../../src-main/engine/annotations/annotation-store';
import type { Seed } from './fuzz-targets';

interface AnnotationSeeds {
  databases: Seed[];
  exports: { csv: Seed[]; json: Seed[] };
}

let cached: AnnotationSeeds | undefined;
const encode = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Fills a store with every kind of annotation and some undo history. */
function fill(store: AnnotationStore, clips: number): void {
  for (let i = 0; i < clips; i++) {
    const id = `video,${i}$_$"${i}"`;
    store.setLabel(id, ((i % 13) - 6) / 2);
    store.addTag(id, `tag ${i % 3}`);
    store.setNotes(id, `notes ${i}: "quoted", ünïcode 𝄞\nsecond line`);
    if (i % 2 === 0) {
      store.saveProbe(id, {
        name: `probe ${i}`,
        masks: { l: { segments: [], whole: true }, a: { segments: [{ start: 0.5, end: 1.25 }], whole: false }, v: { segments: [], whole: false } },
        predictions: { masked: -1.5, complete: 2 },
        checkpoint: { path: '/models/m.safetensors', fingerprint: 'sha256:00' },
      });
    }
  }
  store.undo();
}

/** Store files (closed, so the WAL is folded in) and CSV / JSON exports to mutate. */
export async function annotationDbSeeds(): Promise<AnnotationSeeds> {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'dar-fuzz-seeds-'));
  const out: AnnotationSeeds = { databases: [], exports: { csv: [], json: [] } };
  try {
    for (const clips of [0, 2, 12]) {
      const file = join(dir, `store-${clips}.db`);
      const store = AnnotationStore.open(file, { dataset: 'fp', now: () => new Date('2024-05-01T10:00:00Z') });
      fill(store, clips);
      if (clips > 0) {
        out.exports.csv.push({ name: `export-${clips}.csv`, bytes: encode(store.exportCsv([{ clipId: 'video,0$_$"0"', text: 'a, "b"', mode: 'test' }])) });
        out.exports.json.push({ name: `export-${clips}.json`, bytes: encode(store.exportJson()) });
      }
      store.close();
      out.databases.push({ name: `store-${clips}.db`, bytes: new Uint8Array(readFileSync(file)) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  cached = out;
  return out;
}

/** Opens a mutated store file and reads everything in it, as the studio would. */
export function readAnnotationDb(dir: string, bytes: Uint8Array): unknown {
  const file = join(dir, 'case.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  writeFileSync(file, bytes);
  const store = AnnotationStore.open(file, { dataset: 'fp' });
  try {
    const clips = store.list();
    store.undoState();
    store.exportJson();
    store.undo();
    return clips;
  } finally {
    store.close();
  }
}
