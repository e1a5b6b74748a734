/**
 * Runs ffmpeg/ffprobe as child processes. Every media function takes a `ToolRunner` so tests can
 * count spawns (a cache hit must spawn nothing) and the worker can share one.
 */
import { spawn } from 'node:child_process';
import { DarError } from '../errors';

/** How to run one tool invocation. */
export interface RunOptions {
  /** Streams stdout chunk by chunk (then `stdout` of the result stays empty). */
  onStdout?: (chunk: Buffer) => void;
  /** Bytes written to stdin, which is then closed. */
  stdin?: Uint8Array;
  /** Kills the process; the run then rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What a finished process left: exit code (null if killed), collected stdout, the tail of stderr. */
export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Spawns `command args`; resolves when it exits (whatever the code), rejects if it cannot start or is aborted. */
export type ToolRunner = (command: string, args: readonly string[], options?: RunOptions) => Promise<RunResult>;

// ffmpeg is chatty on stderr; only the end says why it failed.
const STDERR_KEEP = 16 * 1024;

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/** The runner of real processes. */
export const spawnRunner: ToolRunner = (command, args, options = {}) =>
  new Promise((resolve, reject) => {
    const { signal, onStdout, stdin } = options;
    if (signal?.aborted) return reject(abortReason(signal));
    const child = spawn(command, args, { stdio: [stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    let stderr = '';
    const onAbort = (): void => void child.kill('SIGKILL');
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout?.on('data', (chunk: Buffer) => (onStdout ? onStdout(chunk) : out.push(chunk)));
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    if (stdin && child.stdin) {
      // A tool that exits early closes the pipe; that is reported by its exit code, not EPIPE.
      child.stdin.on('error', () => undefined);
      child.stdin.end(Buffer.from(stdin.buffer, stdin.byteOffset, stdin.byteLength));
    }
    child.on('error', (err: NodeJS.ErrnoException) => {
      signal?.removeEventListener('abort', onAbort);
      const why = err.code === 'ENOENT' || err.code === 'EACCES' ? `${err.code}: not found or not executable` : err.message;
      reject(new DarError('MEDIA_TOOL_MISSING', `could not start ${command} (${why}); install ffmpeg or set FFMPEG_PATH`));
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return reject(abortReason(signal));
      resolve({ code, stdout: Buffer.concat(out), stderr });
    });
  });

/** The last non-empty line of a tool's stderr (what ffmpeg says last is why it stopped). */
export function lastLine(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.at(-1) ?? '(no output)';
}

// What ffmpeg says when the bytes are not media it can demux or decode.
const UNREADABLE = /Invalid data found when processing input|could not find codec parameters|Unknown format|no decoder found|Decoder .* not found/i;

/** The error for a failed run: MEDIA_UNSUPPORTED when ffmpeg cannot read the file, else MEDIA_FAILED with its last stderr line. */
export function toolFailure(what: string, file: string, result: RunResult): DarError {
  const line = lastLine(result.stderr);
  if (UNREADABLE.test(result.stderr)) return new DarError('MEDIA_UNSUPPORTED', `${file}: ${what} cannot read this file (${line})`);
  return new DarError('MEDIA_FAILED', `${file}: ${what} failed with exit code ${result.code}: ${line}`);
}

/** Runs and insists on exit code 0. */
export async function runOk(runner: ToolRunner, command: string, args: readonly string[], what: string, file: string, options?: RunOptions): Promise<RunResult> {
  const result = await runner(command, args, options);
  if (result.code !== 0) throw toolFailure(what, file, result);
  return result;
}
