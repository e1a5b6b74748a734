import { DarError } from '../engine/errors';
import { flagHelp, parseArgs } from './args';
import type { CliIo, Command } from './command';
import { commands } from './commands/index';
import { nearest } from './nearest';

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

/** A command's `--help`, printed from the same flag table its parser reads. */
export function commandHelp(command: Command): string {
  const usage = ['dar', command.name, ...(command.positionals ?? []), '[options]'].join(' ');
  return [`${command.summary}`, '', `Usage: ${usage}`, '', 'Options:', ...flagHelp(command.flags), ...(command.notes?.length ? ['', ...command.notes] : [])].join('\n');
}

/** The command named `name`, or an ARG_INVALID error suggesting the nearest one. */
function findCommand(name: string): Command {
  const command = commands.find((c) => c.name === name);
  if (command) return command;
  const close = nearest(name, commands.map((c) => c.name));
  if (name.startsWith('-')) throw new DarError('ARG_INVALID', `unknown flag ${name} for dar (${close ? `did you mean ${close}?` : 'dar takes a command first; try dar --help'})`);
  throw new DarError('ARG_INVALID', `unknown command "${name}" (${close ? `did you mean ${close}?` : 'try dar --help'})`);
}

async function runCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  const command = findCommand(name);
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return 0;
  }
  const args = parseArgs(rest, command.flags, `dar ${command.name}`);
  const allowed = command.positionals?.length ?? 0;
  if (args.positionals.length > allowed) throw new DarError('ARG_INVALID', `dar ${command.name} takes ${allowed === 0 ? 'no' : allowed} positional argument${allowed === 1 ? '' : 's'}, got "${args.positionals[allowed]}"`);
  return command.run(args, io);
}

/** Runs the CLI on argv (without node and script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const name = argv[0];
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(help(commands));
    return 0;
  }
  try {
    return await runCommand(argv, io);
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
