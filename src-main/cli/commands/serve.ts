import { resolve } from 'node:path';
import { DarError } from '../../engine/errors';
import { ensureRendererBuilt } from '../../host/renderer-build';
import { startHost } from '../../host/studio-host';
import { numberFlag, parseArgs, stringFlag } from '../args';
import type { Command } from '../command';
import { backendFlag } from '../engine-session';

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((done) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `dar serve`: the studio in a browser; stdout gets exactly one line, the URL with its token. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run DAR Studio in your browser on 127.0.0.1 (prints the URL with its access token)',
  usage: 'dar serve [--data <file|folder>] [--checkpoint <c>] [--port P (0 = free port)] [--backend B]',
  async run(argv, io) {
    const args = parseArgs(argv);
    const port = numberFlag(args, 'port', 0)!;
    if (!(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new DarError('ARG_INVALID', `--port must be an integer in 0..65535, got ${port}`);
    const data = stringFlag(args, 'data');
    const checkpoint = stringFlag(args, 'checkpoint');
    const rendererDir = await ensureRendererBuilt(io.err);
    const stopped = untilSignal();
    const host = await startHost({
      port,
      data: data === undefined ? undefined : resolve(data),
      checkpoint: checkpoint === undefined ? undefined : resolve(checkpoint),
      backend: backendFlag(args),
      rendererDir,
      log: io.err,
    });
    io.out(`DAR Studio: ${host.url}`);
    const signal = await stopped;
    io.err(`${signal}: stopping`);
    await host.close();
    return 0;
  },
};
