/** Runs one import in its own worker thread (extract-thread.ts) and relays its progress. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExtractReport } from '#contract/extract';
import { DarError } from '../../engine/errors';
import type { ExtractOptions } from '../../engine/extract/extract-folder';
import type { ExtractThreadData, ExtractThreadMessage } from './extract-thread-protocol';

/** The thread's script: the bundled JS next to this file in a build, the tsx bootstrap in sources. */
function entry(): URL {
  const built = new URL('./extract-thread.js', import.meta.url);
  return existsSync(fileURLToPath(built)) ? built : new URL('./extract-thread-dev.mjs', import.meta.url);
}

/** extractFolder in a thread of its own: progress relayed, cancel by `o.signal`, the report or the coded error. */
export function runInThread(o: ExtractOptions): Promise<ExtractReport> {
  const { videos, out, fps, acoustic, bertModel, resume } = o;
  const data: ExtractThreadData = { params: { videos, out, fps, acoustic, bertModel, resume }, cacheDir: o.cacheDir };
  const worker = new Worker(entry(), { workerData: data, stdout: true });
  // Anything the thread prints is a log line: stdout stays the shell's.
  worker.stdout.pipe(process.stderr, { end: false });
  const cancel = (): void => worker.postMessage('cancel');
  o.signal?.addEventListener('abort', cancel, { once: true });
  return new Promise<ExtractReport>((resolve, reject) => {
    worker.on('message', (m: ExtractThreadMessage) => {
      if (m.kind === 'progress') o.onProgress?.(m.progress);
      else if (m.kind === 'model') o.onModelProgress?.(m.fraction);
      else if (m.kind === 'done') resolve(m.report);
      else reject(new DarError(m.error.code, m.error.message));
    });
    worker.on('error', (err) => reject(new DarError('INTERNAL', `the import thread failed: ${err.message}`)));
    worker.on('exit', (code) => reject(new DarError('INTERNAL', `the import thread ended (exit code ${code}) before it reported`)));
  }).finally(() => o.signal?.removeEventListener('abort', cancel));
}
