import { DarError } from '../engine/errors';

/** Parsed command line: positionals in order, flags by name (`--k 0.3`, `--json`, `--no-sim`). */
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

/** Splits argv into positionals and flags; `--name=value` and `--name value` both work. */
export function parseArgs(argv: readonly string[], booleanFlags: readonly string[] = []): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (eq >= 0) flags.set(name, arg.slice(eq + 1));
    else if (booleanFlags.includes(name) || i + 1 >= argv.length || argv[i + 1].startsWith('--')) flags.set(name, true);
    else flags.set(name, argv[++i]);
  }
  return { positionals, flags };
}

/** A string flag's value, or the fallback; a bare `--name` without value is an ARG_INVALID error. */
export function stringFlag(args: ParsedArgs, name: string, fallback?: string): string | undefined {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  if (v === true) throw new DarError('ARG_INVALID', `--${name} needs a value`);
  return v;
}

/** A numeric flag's value, checked to be finite. */
export function numberFlag(args: ParsedArgs, name: string, fallback?: number): number | undefined {
  const s = stringFlag(args, name);
  if (s === undefined) return fallback;
  const n = Number(s);
  if (!Number.isFinite(n)) throw new DarError('ARG_INVALID', `--${name} must be a number, got "${s}"`);
  return n;
}

/** The i-th positional, or an ARG_INVALID error naming what was expected. */
export function positional(args: ParsedArgs, i: number, what: string): string {
  const v = args.positionals[i];
  if (v === undefined) throw new DarError('ARG_INVALID', `missing ${what}`);
  return v;
}
