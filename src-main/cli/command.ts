import type { FlagTable, ParsedArgs } from './args';

/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** One `dar` sub-command. `run` resolves to the exit code; bad input is thrown as a DarError. */
export interface Command<F extends FlagTable = FlagTable> {
  name: string;
  summary: string;
  /** The positional arguments, in order, as help shows them (e.g. `<file|folder>`); none if absent. */
  positionals?: readonly string[];
  /** Every flag the command accepts: the parser and `--help` both read this one table. */
  flags: F;
  /** Lines printed after the flags in `--help`. */
  notes?: readonly string[];
  run(args: ParsedArgs<F>, io: CliIo): Promise<number>;
}
