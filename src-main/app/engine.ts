import { join } from 'node:path';
import type { MessagePort } from 'node:worker_threads';
import { app } from 'electron';
import type { EngineClient } from '../worker/protocol/engine-client';
import { startEngine } from '../worker/protocol/engine-client';
import { MEDIA_URL_TEMPLATE } from './media-protocol';

/**
 * Starts the engine worker (bundled as out/main/engine-worker.js): training and inference run
 * on its thread, never on the main process's. It opens the demo corpus on the page's first call.
 * With `computePort` its models compute in the compute window (compute-window.ts).
 */
export function startStudioEngine(computePort?: MessagePort): EngineClient {
  const engine = startEngine({
    computePort,
    workerData: {
      shell: 'electron',
      version: app.getVersion(),
      mediaUrl: MEDIA_URL_TEMPLATE,
      // Named here: the bundled worker (out/main/) sits elsewhere than its source, so its own default would miss.
      demoDir: app.isPackaged ? join(process.resourcesPath, 'demo') : join(app.getAppPath(), 'resources', 'demo'),
      // Runs, checkpoints and the experiment queue live with the user's app data.
      studioHome: app.getPath('userData'),
    },
  });
  app.on('will-quit', () => void engine.close());
  return engine;
}
