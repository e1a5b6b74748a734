import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { FlagSpec } from './args';
import { parseArgs } from './args';
import { commands } from './commands/index';
import { commandHelp, main } from './main';

const run = promisify(execFile);

/** A value each flag type accepts; enums take their first choice. */
function sampleValue(spec: FlagSpec): string | null {
  if (spec.type === 'boolean') return null;
  if (spec.type === 'enum') return spec.values![0];
  return spec.type === 'string' ? 'x' : '2';
}

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

  it('suggests the nearest command for a misspelt one', async () => {
    const { io, err } = fakeIo();
    expect(await main(['trian'], io)).toBe(2);
    expect(err).toEqual(['error ARG_INVALID: unknown command "trian" (did you mean train?)']);
  });
});

describe('dar flags: --help and the parser read one table', () => {
  for (const command of commands) {
    it(`dar ${command.name} accepts every flag its help lists`, async () => {
      const { io, out } = fakeIo();
      expect(await main([command.name, '--help'], io)).toBe(0);
      expect(out.join('\n')).toBe(commandHelp(command));
      const listed = [...out.join('\n').matchAll(/^ {2}--([a-z][a-z-]*)/gm)].map((m) => m[1]);
      expect(listed.sort()).toEqual(Object.keys(command.flags).sort());
      const argv = listed.flatMap((name) => {
        const value = sampleValue(command.flags[name]);
        return value === null ? [`--${name}`] : [`--${name}`, value];
      });
      const { flags } = parseArgs(argv, command.flags);
      for (const name of listed) expect(flags[name], name).not.toBeUndefined();
    });
  }

  it('keeps the README spellings: --k with three rates, several checkpoints, ablation switches', () => {
    const train = commands.find((c) => c.name === 'train')!;
    expect(parseArgs(['--k', '0.3,0.2,0.4', '--no-sim', '--json'], train.flags).flags).toMatchObject({ k: '0.3,0.2,0.4', 'no-sim': true, json: true });
    const evaluate = commands.find((c) => c.name === 'eval')!;
    expect(parseArgs(['--checkpoint', 'a,b,c', '--seeds', '1111,1112'], evaluate.flags).flags).toMatchObject({ checkpoint: 'a,b,c', seeds: '1111,1112' });
  });

  const refused: [string[], RegExp][] = [
    [['train', '--epoch', '1'], /^error ARG_INVALID: unknown flag --epoch for dar train \(did you mean --epochs\?\)$/],
    [['train', '--bogus', '3'], /^error ARG_INVALID: unknown flag --bogus for dar train \(dar train --help lists its flags\)$/],
    [['inspect', 'f', '--frobnicate'], /^error ARG_INVALID: unknown flag --frobnicate for dar inspect \(dar inspect --help lists its flags\)$/],
    [['metrics', 'f.csv', '--jsno'], /^error ARG_INVALID: unknown flag --jsno for dar metrics \(did you mean --json\?\)$/],
    [['eval', '--checkpoint'], /^error ARG_INVALID: --checkpoint needs a value <c\[,c2,...\]> \(nothing followed it\)$/],
    [['train', '--data', 'd', '--out', 'o', '--epochs', 'ten'], /^error ARG_INVALID: --epochs must be a number, got "ten"$/],
    [['serve', '--port', 'http'], /^error ARG_INVALID: --port must be a number, got "http"$/],
    [['predict', '--split', 'tset'], /^error ARG_INVALID: --split must be one of train, valid, test; got "tset" \(did you mean test\?\)$/],
    [['train', '--backend', 'cuda'], /^error ARG_INVALID: --backend must be one of auto, webgpu, gpu, native, wasm, cpu; got "cuda"$/],
    [['train', '--data', 'd', '--out', 'o', '--k', '0.3,x,0.1'], /^error ARG_INVALID: --k takes numbers, got "0.3,x,0.1"$/],
    [['train', '--data', 'd', '--out', 'o', '--model', 'misaa'], /^error ARG_INVALID: --model must be one of dar, misa, self-mm, lnln; got "misaa" \(did you mean misa\?\)$/],
    [['train', '--data', 'd', '--out', 'o', '--model', 'lnln', '--lambda', '0.5'], /^error ARG_INVALID: --lambda is a DAR flag; lnln takes its hyperparameters from --model-config$/],
    [['train', '--data', 'd', '--out', 'o', '--model-config', '[1]'], /^error ARG_INVALID: --model-config must be a JSON object, got \[1\]$/],
    [['demo-data', 'extra'], /^error ARG_INVALID: dar demo-data takes no positional arguments, got "extra"$/],
    [['inspect', 'a', 'b'], /^error ARG_INVALID: dar inspect takes 1 positional argument, got "b"$/],
    [['--hepl'], /^error ARG_INVALID: unknown flag --hepl for dar \(dar takes a command first; try dar --help\)$/],
  ];
  for (const [argv, message] of refused) {
    it(`refuses dar ${argv.join(' ')} with exit 2 and one coded line, before any work`, async () => {
      const { io, out, err } = fakeIo();
      expect(await main(argv, io)).toBe(2);
      expect(out).toEqual([]);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(message);
    });
  }

  it('refuses a misspelt flag from the bin script with exit 2 and one stderr line', async () => {
    const failed = await run(process.execPath, ['bin/dar.mjs', 'train', '--epoch', '1']).then(
      () => null,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr.trimEnd().split('\n')).toEqual(['error ARG_INVALID: unknown flag --epoch for dar train (did you mean --epochs?)']);
  });
});
