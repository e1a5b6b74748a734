/**
 * The import's own thread. The face model switches its thread's tfjs to the wasm backend and
 * blocks it for ~0.1 s a frame, so it must not share the engine thread, whose backend and
 * message loop serve the open model. workerData: ExtractThreadData; messages in: 'cancel';
 * messages out: ExtractThreadMessage.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ExtractThreadData, ExtractThreadMessage } from './extract-thread-protocol';
import { DarError, toErrorInfo } from '../../engine/errors';
import { extractFolder } from '../../engine/extract/extract-folder';

const port = parentPort;
if (!port) throw new Error('extract-thread must run in a worker thread');
const data = workerData as ExtractThreadData;
const controller = new AbortController();
const send = (m: ExtractThreadMessage): void => port.postMessage(m);
port.on('message', (m: unknown) => {
  if (m === 'cancel') controller.abort(new DarError('EXTRACT_CANCELLED', 'the import was cancelled'));
});

try {
  const report = await extractFolder({ ...data.params, cacheDir: data.cacheDir, signal: controller.signal, onProgress: (progress) => send({ kind: 'progress', progress }), onModelProgress: (fraction) => send({ kind: 'model', fraction }) });
  send({ kind: 'done', report });
} catch (err) {
  send({ kind: 'error', error: toErrorInfo(err) });
} finally {
  port.close();
}
