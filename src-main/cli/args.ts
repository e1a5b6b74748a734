/**
 * Command-line flags: each command declares its flags once in a {@link FlagTable}; Node's
 * `util.parseArgs` in strict mode reads argv against it, and `--help` is printed from the same
 * table. Anything the table does not describe (an unknown or misspelt flag, a missing value, a
 * number that is not one, a value outside an enum) is an ARG_INVALID error naming the flag,
 * with the nearest known spelling when there is a close one.
 */
import { parseArgs as parseArgv } from 'node:util';
import { DarError } from '../engine/errors';
import { nearest } from './nearest';

/** How a flag's value is read: a switch, free text, a finite number, an integer or one of `values`. */
export type FlagType = 'boolean' | 'string' | 'number' | 'integer' | 'enum';

/** One flag: its type, the placeholder and line `--help` shows, and an enum's choices. */
export interface FlagSpec {
  type: FlagType;
  help: string;
  /** Placeholder after the flag in help, e.g. `<file|folder>` or `N`. */
  value?: string;
  values?: readonly string[];
}

/** A command's flags by name (without the leading `--`). */
export type FlagTable = Readonly<Record<string, FlagSpec>>;

type ValueOf<S extends FlagSpec> = S['type'] extends 'boolean'
  ? boolean
  : S['type'] extends 'number' | 'integer'
    ? number | undefined
    : S extends { type: 'enum'; values: readonly (infer V)[] }
      ? V | undefined
      : string | undefined;

/** Parsed command line: positionals in order, each declared flag read into its type (switches default to false). */
export interface ParsedArgs<F extends FlagTable = FlagTable> {
  positionals: string[];
  flags: { [K in keyof F]: ValueOf<F[K]> };
}

const isNumeric = (t: FlagType): boolean => t === 'number' || t === 'integer';
const NEGATIVE_NUMBER = /^-(\d|\.\d)/;

/**
 * `--seed -1` as `--seed=-1`: parseArgs refuses a value starting with "-" as ambiguous, but for
 * a numeric flag a negative number cannot be meant as a flag.
 */
function joinNegativeNumbers(argv: readonly string[], table: FlagTable): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const spec = argv[i].startsWith('--') ? table[argv[i].slice(2)] : undefined;
    if (spec && isNumeric(spec.type) && i + 1 < argv.length && NEGATIVE_NUMBER.test(argv[i + 1])) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

function unknownFlag(raw: string, table: FlagTable, command: string): DarError {
  const known = Object.keys(table).map((name) => `--${name}`);
  const close = nearest(raw, known);
  const hint = close ? `did you mean ${close}?` : `${command} --help lists its flags`;
  return new DarError('ARG_INVALID', `unknown flag ${raw} for ${command} (${hint})`);
}

/** Our words for what strict parseArgs refused, found by re-reading argv as tokens. */
function explain(argv: string[], table: FlagTable, command: string, fallback: string): DarError {
  const { tokens } = parseArgv({ args: argv, options: toNodeOptions(table), strict: false, allowPositionals: true, tokens: true });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = Object.hasOwn(table, token.name) && token.rawName.startsWith('--') ? table[token.name] : undefined;
    if (!spec) return unknownFlag(token.rawName, table, command);
    if (spec.type === 'boolean' && token.value !== undefined) return new DarError('ARG_INVALID', `${token.rawName} takes no value, got "${token.value}"`);
    if (spec.type !== 'boolean' && (token.value === undefined || (!token.inlineValue && token.value.startsWith('-')))) {
      const got = token.value === undefined ? 'nothing followed it' : `got "${token.value}"; write ${token.rawName}=${token.value} if that is the value`;
      return new DarError('ARG_INVALID', `${token.rawName} needs a value${spec.value ? ` ${spec.value}` : ''} (${got})`);
    }
  }
  return new DarError('ARG_INVALID', fallback);
}

function toNodeOptions(table: FlagTable): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(Object.entries(table).map(([name, spec]) => [name, { type: spec.type === 'boolean' ? 'boolean' : 'string' }]));
}

/** A flag's text value read into its declared type; malformed values are ARG_INVALID errors. */
function readValue(name: string, spec: FlagSpec, raw: string): string | number {
  if (isNumeric(spec.type)) {
    const n = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(n)) throw new DarError('ARG_INVALID', `--${name} must be a number, got "${raw}"`);
    if (spec.type === 'integer' && !Number.isSafeInteger(n)) throw new DarError('ARG_INVALID', `--${name} must be an integer, got "${raw}"`);
    return n;
  }
  if (spec.type === 'enum' && !spec.values?.includes(raw)) {
    const close = nearest(raw, spec.values ?? []);
    throw new DarError('ARG_INVALID', `--${name} must be one of ${spec.values?.join(', ')}; got "${raw}"${close ? ` (did you mean ${close}?)` : ''}`);
  }
  return raw;
}

/** Reads argv (after the command name) against `table`, refusing what it does not declare. */
export function parseArgs<F extends FlagTable>(argv: readonly string[], table: F, command = 'dar'): ParsedArgs<F> {
  const args = joinNegativeNumbers(argv, table);
  let parsed: ReturnType<typeof parseArgv>;
  try {
    parsed = parseArgv({ args, options: toNodeOptions(table), strict: true, allowPositionals: true });
  } catch (err) {
    // parseArgs's own errors carry a code and a message meant for programmers; say it in ours.
    if (err instanceof TypeError && String((err as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS')) throw explain(args, table, command, err.message);
    throw err;
  }
  const flags: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(table)) {
    const raw = parsed.values[name];
    flags[name] = spec.type === 'boolean' ? raw === true : typeof raw === 'string' ? readValue(name, spec, raw) : undefined;
  }
  return { positionals: parsed.positionals, flags: flags as ParsedArgs<F>['flags'] };
}

/** The i-th positional, or an ARG_INVALID error naming what was expected. */
export function positional(args: ParsedArgs, i: number, what: string): string {
  const v = args.positionals[i];
  if (v === undefined) throw new DarError('ARG_INVALID', `missing ${what}`);
  return v;
}

/** The `Options:` lines of a command's help, one per declared flag. */
export function flagHelp(table: FlagTable): string[] {
  const heads = Object.entries(table).map(([name, spec]) => {
    const placeholder = spec.value ?? (spec.type === 'enum' ? spec.values?.join('|') : spec.type === 'boolean' ? undefined : 'VALUE');
    return placeholder ? `--${name} ${placeholder}` : `--${name}`;
  });
  const width = Math.max(...heads.map((h) => h.length));
  return Object.values(table).map((spec, i) => `  ${heads[i].padEnd(width)}  ${spec.help}`);
}
