import { describe, expect, it } from 'vitest';
import { DarError } from '../engine/errors';
import { flagHelp, parseArgs } from './args';
import type { FlagTable } from './args';

const TABLE = {
  data: { type: 'string', value: '<file>', help: 'dataset' },
  epochs: { type: 'integer', value: 'N', help: 'epochs' },
  lr: { type: 'number', help: 'learning rate' },
  mode: { type: 'enum', values: ['fixed', 'uniform', 'lnln'], help: 'mode' },
  json: { type: 'boolean', help: 'json' },
  'no-sim': { type: 'boolean', help: 'ablation' },
} as const satisfies FlagTable;

function refusal(argv: string[]): string {
  try {
    parseArgs(argv, TABLE, 'dar train');
  } catch (err) {
    expect(err).toBeInstanceOf(DarError);
    expect((err as DarError).code).toBe('ARG_INVALID');
    return (err as DarError).message;
  }
  throw new Error(`accepted ${argv.join(' ')}`);
}

describe('parseArgs', () => {
  it('reads each flag into its declared type, in both --name value and --name=value forms', () => {
    const { flags, positionals } = parseArgs(['f.pkl', '--data', 'd', '--epochs=3', '--lr', '3e-3', '--mode', 'lnln', '--json'], TABLE);
    expect(flags).toEqual({ data: 'd', epochs: 3, lr: 0.003, mode: 'lnln', json: true, 'no-sim': false });
    expect(positionals).toEqual(['f.pkl']);
  });

  it('takes a negative number after a numeric flag as its value', () => {
    expect(parseArgs(['--lr', '-0.5', '--epochs', '-2'], TABLE).flags).toMatchObject({ lr: -0.5, epochs: -2 });
  });

  it('treats everything after -- as positionals', () => {
    expect(parseArgs(['--', '--data'], TABLE).positionals).toEqual(['--data']);
  });

  const refused: [string, string[], RegExp][] = [
    ['a misspelt flag, suggesting the nearest', ['--epoch', '1'], /^unknown flag --epoch for dar train \(did you mean --epochs\?\)$/],
    ['a transposed flag', ['--nosim'], /did you mean --no-sim\?/],
    ['a far-off flag, pointing at --help', ['--bogus', '3'], /^unknown flag --bogus for dar train \(dar train --help lists its flags\)$/],
    ['a short flag nobody declared', ['-x'], /^unknown flag -x /],
    ['a flag at the end without its value', ['--data'], /^--data needs a value <file> \(nothing followed it\)$/],
    ['a flag followed by another flag', ['--data', '--json'], /^--data needs a value <file> \(got "--json"; write --data=--json if that is the value\)$/],
    ['a value on a switch', ['--json=yes'], /^--json takes no value, got "yes"$/],
    ['a number that is not one', ['--lr', 'fast'], /^--lr must be a number, got "fast"$/],
    ['an empty number', ['--lr='], /^--lr must be a number, got ""$/],
    ['a fraction where an integer belongs', ['--epochs', '1.5'], /^--epochs must be an integer, got "1.5"$/],
    ['a value outside an enum, suggesting the nearest', ['--mode', 'lnnl'], /^--mode must be one of fixed, uniform, lnln; got "lnnl" \(did you mean lnln\?\)$/],
  ];
  for (const [what, argv, message] of refused) {
    it(`refuses ${what}`, () => expect(refusal(argv)).toMatch(message));
  }

  it('prints one help line per declared flag with its placeholder', () => {
    const lines = flagHelp(TABLE);
    expect(lines).toHaveLength(Object.keys(TABLE).length);
    expect(lines[0]).toMatch(/^ {2}--data <file> +dataset$/);
    expect(lines[3]).toMatch(/^ {2}--mode fixed\|uniform\|lnln +mode$/);
    expect(lines[4]).toMatch(/^ {2}--json +json$/);
  });
});
