/**
 * Temp folders for tests that clean up after themselves, so runs leave nothing in the OS temp
 * dir. Call at file or describe scope (not inside a test); a test that needs a fresh folder per
 * case makes a subfolder inside the one this returns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A new folder `<os temp>/<prefix>XXXXXX`, removed with all it holds after the enclosing file's or describe's tests, passed or failed. */
export function useTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
