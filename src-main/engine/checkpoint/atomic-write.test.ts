import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as FsPromises from 'node:fs/promises';

// Fails the rename on demand: the moment after the temp file is fully written and synced.
const failRename = { on: false };
vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof FsPromises>();
  return {
    ...fs,
    rename: async (from: string, to: string) => {
      if (failRename.on) {
        // Prove the temp file was complete when the "crash" came.
        expect((await readFile(from)).toString()).toBe('new content');
        throw Object.assign(new Error('simulated crash before rename'), { code: 'EIO' });
      }
      return fs.rename(from, to);
    },
  };
});

const { atomicWrite } = await import('./atomic-write');

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dar-atomic-'));
  failRename.on = false;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('atomicWrite', () => {
  it('writes all chunks under the final name and leaves no temp file', async () => {
    const file = path.join(dir, 'f.bin');
    await atomicWrite(file, [Buffer.from('new '), Buffer.from('content')]);
    expect((await readFile(file)).toString()).toBe('new content');
    expect(await readdir(dir)).toEqual(['f.bin']);
  });

  it('keeps the old file intact and removes the temp file when it fails after the temp write', async () => {
    const file = path.join(dir, 'f.bin');
    await atomicWrite(file, [Buffer.from('old content')]);
    failRename.on = true;
    await expect(atomicWrite(file, [Buffer.from('new content')])).rejects.toThrow(/simulated crash/);
    expect((await readFile(file)).toString()).toBe('old content');
    expect(await readdir(dir)).toEqual(['f.bin']);
  });

  it('never creates the final name when the first write fails', async () => {
    const file = path.join(dir, 'g.bin');
    failRename.on = true;
    await expect(atomicWrite(file, [Buffer.from('new content')])).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });
});
