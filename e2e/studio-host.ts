/**
 * Starts `dar serve` for an end-to-end spec or the UI benchmark and reads the one line it prints
 * (`DAR Studio: http://127.0.0.1:PORT/?token=TOKEN`); stop() ends exactly that process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A running host. */
export interface StudioHost {
  url: string;
  origin: string;
  token: string;
  /** The `dar serve` process id (its engine worker is a thread inside it). */
  pid: number;
  /** Everything the host wrote, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

const LINE = /DAR Studio: (http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9a-f]+)/;

/**
 * The arguments for `dar serve`: none when the demo model exists (the real "no arguments" path);
 * otherwise a checkpoint from DAR_E2E_CHECKPOINT, so the suite can run while the demo model is
 * still being trained.
 */
export function serveArgs(): string[] {
  if (existsSync(join(repoRoot, 'resources/demo/model.safetensors'))) return [];
  const fallback = process.env.DAR_E2E_CHECKPOINT;
  return fallback ? ['--checkpoint', fallback] : [];
}

/**
 * Spawns `node bin/dar.mjs serve --port 0 ...args` and waits for its URL line; `env` adds
 * variables. Without a DAR_STUDIO_HOME of the spec's own (one it restarts a host on), the host
 * gets a fresh temp home that stop() removes: tests never write into ~/.dar-studio.
 */
export async function startHost(args: string[] = serveArgs(), timeoutMs = 300_000, env: Record<string, string> = {}): Promise<StudioHost> {
  const ownHome = env.DAR_STUDIO_HOME === undefined ? mkdtempSync(join(tmpdir(), 'dar-e2e-home-')) : null;
  const child: ChildProcess = spawn(process.execPath, [join(repoRoot, 'bin/dar.mjs'), 'serve', '--port', '0', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(ownHome ? { DAR_STUDIO_HOME: ownHome } : {}), ...env },
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const found = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dar serve printed no URL within ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = LINE.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dar serve exited with ${code} before printing its URL:\n${out}`));
    });
  });
  return {
    url: `${found[1]}/?token=${found[2]}`,
    origin: found[1],
    token: found[2],
    pid: child.pid ?? -1,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      if (ownHome) rmSync(ownHome, { recursive: true, force: true });
    },
  };
}
