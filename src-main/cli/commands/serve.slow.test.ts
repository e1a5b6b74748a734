import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const LINE = /^DAR Studio: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([0-9a-f]{64}))$/;

// The way users and the e2e tests start the browser studio: `node bin/dar.mjs serve --port 0`,
// read the one stdout line, open it. (The first run may build the page with vite.)
describe('dar serve', () => {
  it('prints exactly one stdout line with the URL, serves the page there, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/dar.mjs', 'serve', '--port', '0'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          if (stdout.includes('\n')) resolve(stdout.split('\n')[0]);
        });
        void exited.then((code) => reject(new Error(`dar serve exited (${code}) before printing its URL:\n${stderr}`)));
      });
      const m = LINE.exec(url);
      expect(m, url).not.toBeNull();
      const page = await fetch(m![1]);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(await page.text()).toContain('<div id="app">');
      expect((await fetch(`http://127.0.0.1:${m![2]}/`)).status).toBe(401);
      expect(stderr).toMatch(/backend: /);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
  }, 120_000);

  it('refuses a dataset that does not exist with a coded error and exit code 2', async () => {
    const child = spawn(process.execPath, ['bin/dar.mjs', 'serve', '--port', '0', '--data', '/nonexistent/data'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/error FILE_NOT_FOUND: .*\/nonexistent\/data/);
  }, 20_000);
});
