import { DarError } from '../engine/errors';
import type { CliIo, Command } from './command';
import { commands } from './commands/index';

const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
};

function help(list: readonly Command[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  const lines = list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'dar: DAR Studio command line (robust multimodal sentiment analysis)',
    '',
    'Usage: dar <command> [options]   (dar <command> --help for its options)',
    '',
    'Commands:',
    ...lines,
    '',
    'Exit codes: 0 success, 2 bad input (one line "error CODE: message" on stderr), 1 internal error.',
  ].join('\n');
}

/** Runs the CLI on argv (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help(commands));
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`error ARG_INVALID: unknown command "${name}" (try dar --help)`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${command.summary}\n\nUsage: ${command.usage}`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof DarError) {
      io.err(`error ${err.code}: ${err.message}`);
      return 2;
    }
    io.err(`error INTERNAL: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.DAR_DEBUG) io.err(String(err instanceof Error ? err.stack : err));
    return 1;
  }
}
