import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AnnotationStore } from '../../engine/annotations/annotation-store';
import { startEngine } from '../protocol/engine-client';
import { STUDIO_HOME_ENV } from '../studio-home';
import { DEMO_DIR } from '../../../testing/worker/studio-checkpoints';

const home = mkdtempSync(join(tmpdir(), 'dar-annot-worker-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('annotation methods in the engine worker', () => {
  it('are routed by the worker, save under DAR_STUDIO_HOME, and the file is closed cleanly when the worker ends', async () => {
    const saved = process.env[STUDIO_HOME_ENV];
    process.env[STUDIO_HOME_ENV] = home; // the worker copies the environment when it starts
    const engine = startEngine({ workerData: { shell: 'browser', version: 'test', mediaUrl: '', demoDir: DEMO_DIR } });
    if (saved === undefined) delete process.env[STUDIO_HOME_ENV];
    else process.env[STUDIO_HOME_ENV] = saved;
    let file = '';
    try {
      expect((await engine.call('openDataset', { path: DEMO_DIR })).ok).toBe(true);
      const edited = await engine.call('editAnnotation', { split: 'test', index: 2, edit: { kind: 'setLabel', label: -2.5 } });
      expect(edited.ok && edited.value.annotation.label).toBe(-2.5);
      const bad = await engine.call('editAnnotation', { split: 'test', index: 2, edit: { kind: 'setLabel', label: 9 } });
      expect(bad.ok ? 'ok' : bad.error.code).toBe('ANNOTATIONS_INVALID');
      const info = await engine.call('annotationsInfo', {});
      if (!info.ok) throw new Error(info.error.message);
      file = info.value.open.path;
      expect(file.startsWith(join(home, 'projects'))).toBe(true);
      expect(existsSync(`${file}-wal`)).toBe(true); // open in WAL mode
    } finally {
      await engine.close();
    }
    // better-sqlite3 closes the database as the thread ends: SQLite folds the WAL back into the file.
    expect(existsSync(`${file}-wal`)).toBe(false);
    const store = AnnotationStore.open(file, { dataset: file.replace(/^.*\/|\.sqlite$/g, '') });
    try {
      expect(store.list().map((a) => a.label)).toEqual([-2.5]);
    } finally {
      store.close();
    }
  });
});
