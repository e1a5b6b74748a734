import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from './main';

const run = promisify(execFile);

function fakeIo(): { io: { out: (s: string) => void; err: (s: string) => void }; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s) => out.push(s), err: (s) => err.push(s) }, out, err };
}

describe('dar CLI', () => {
  it('lists its commands on --help and exits 0', async () => {
    const { io, out } = fakeIo();
    expect(await main(['--help'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/Usage: dar <command>/);
  });

  it('answers an unknown command with a coded error and exit 2', async () => {
    const { io, err } = fakeIo();
    expect(await main(['frobnicate'], io)).toBe(2);
    expect(err).toEqual(['error ARG_INVALID: unknown command "frobnicate" (try dar --help)']);
  });

  it('runs from the bin script without a build step', async () => {
    const { stdout } = await run(process.execPath, ['bin/dar.mjs', '--help']);
    expect(stdout).toMatch(/dar: DAR Studio command line/);
  });
});
