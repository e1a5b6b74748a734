/** Where a command writes: stdout for results, stderr for progress and errors. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

/** One `dar` sub-command. `run` resolves to the exit code; bad input is thrown as a DarError. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Flags that never take a value. */
  booleanFlags?: readonly string[];
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
