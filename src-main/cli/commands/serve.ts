import { resolve } from 'node:path';
import { DarError } from '../../engine/errors';
import { ensureRendererBuilt } from '../../host/renderer-build';
import { startHost } from '../../host/studio-host';
import type { FlagTable } from '../args';
import type { Command } from '../command';
import { BACKEND_FLAG, DATA_FLAG, backendChoice } from '../flags';

const SERVE_FLAGS = {
  data: { ...DATA_FLAG, help: 'dataset to open [the demo corpus]' },
  checkpoint: { type: 'string', value: '<c>', help: 'checkpoint to open [the demo model]' },
  port: { type: 'integer', value: 'P', help: 'port on 127.0.0.1 [0: a free port]' },
  backend: BACKEND_FLAG,
} as const satisfies FlagTable;

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
export const serveCommand: Command<typeof SERVE_FLAGS> = {
  name: 'serve',
  summary: 'run DAR Studio in your browser on 127.0.0.1 (prints the URL with its access token)',
  flags: SERVE_FLAGS,
  async run({ flags }, io) {
    const { data, checkpoint, port = 0 } = flags;
    if (!(port >= 0 && port <= 65535)) throw new DarError('ARG_INVALID', `--port must be an integer in 0..65535, got ${port}`);
    const rendererDir = await ensureRendererBuilt(io.err);
    const stopped = untilSignal();
    const host = await startHost({
      port,
      data: data === undefined ? undefined : resolve(data),
      checkpoint: checkpoint === undefined ? undefined : resolve(checkpoint),
      backend: backendChoice(flags.backend),
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
