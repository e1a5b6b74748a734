import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnnotationStore } from './annotation-store';
import { editFor } from '../../../testing/engine/annotations/crash-edits';

const writer = fileURLToPath(new URL('../../../testing/engine/annotations/crash-writer.ts', import.meta.url));
let dir: string;

/**
 * Runs the writer child and SIGKILLs it once `killWhen` holds for the lines read so far;
 * returns every complete line it printed before dying.
 */
function runAndKill(args: string[], killWhen: (lines: string[]) => boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      if (!killed && killWhen(out.split('\n').slice(0, -1))) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}): ${err}`));
      else resolve(out.split('\n').slice(0, -1)); // a torn last line was never fully reported
    });
  });
}

/** True when edit k of the writer is in the store. */
function present(store: AnnotationStore, k: number): boolean {
  const e = editFor(k);
  const a = store.get(e.clipId);
  if (e.what === 'label') return a.label === e.value;
  if (e.what === 'tag') return a.tags.includes(e.value as string);
  return a.notes === e.value;
}

function integrity(file: string): string {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return String(db.pragma('integrity_check', { simple: true }));
  } finally {
    db.close();
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dar-annotations-crash-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('killing the process while it saves', () => {
  it('loses at most the edit in flight and never the file, across repeated kills', async () => {
    const file = join(dir, 'edits.db');
    let next = 0;
    // Kill after a different number of edits each round, then carry on from where the file is.
    for (const stopAfter of [30, 91, 55]) {
      const lines = await runAndKill([file, 'edits', String(next)], (l) => l.length >= stopAfter);
      const reported = lines.map((l) => Number(l.split(' ')[1]));
      expect(reported.length).toBeGreaterThanOrEqual(stopAfter);
      expect(integrity(file)).toBe('ok');
      const store = AnnotationStore.open(file, { check: 'full' });
      try {
        const missing = reported.filter((k) => !present(store, k));
        expect(missing).toEqual([]);
        // What is in the file is a prefix of what the child did: no hole, at most one more.
        let last = reported[reported.length - 1];
        while (present(store, last + 1)) last++;
        expect(last - reported[reported.length - 1]).toBeLessThanOrEqual(1);
        for (let k = 0; k <= last; k++) expect(present(store, k), `edit ${k}`).toBe(true);
        next = last + 1;
      } finally {
        store.close();
      }
    }
  }, 20_000);

  it('keeps an import all or nothing when killed in the middle of it', async () => {
    const file = join(dir, 'import.db');
    const clips = 4000;
    await runAndKill([file, 'import', String(clips)], (l) => l.includes('importing'));
    expect(integrity(file)).toBe('ok');
    const store = AnnotationStore.open(file);
    try {
      expect([0, clips]).toContain(store.list().length);
    } finally {
      store.close();
    }
  });
});
