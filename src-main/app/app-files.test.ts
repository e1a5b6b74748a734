import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { APP_ORIGIN } from './app-csp';
import { listRendererFiles } from '../shell-common/renderer-files';
import { appFileFor } from './app-files';

const root = mkdtempSync(path.join(os.tmpdir(), 'dar-app-files-'));
const outside = path.join(path.dirname(root), `${path.basename(root)}-secret.txt`);
mkdirSync(path.join(root, 'assets'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html>');
writeFileSync(path.join(root, 'assets', 'index-1.js'), 'export {}');
writeFileSync(path.join(root, '.hidden'), 'x');
writeFileSync(outside, 'secret');
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { force: true });
});

describe('app:// files', () => {
  it('serves the built page and its assets by exact path, with their types', async () => {
    const files = await listRendererFiles(root);
    expect(appFileFor(files, `${APP_ORIGIN}/index.html`, APP_ORIGIN)).toEqual({ path: path.join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(appFileFor(files, `${APP_ORIGIN}/`, APP_ORIGIN)?.path).toBe(path.join(root, 'index.html'));
    expect(appFileFor(files, `${APP_ORIGIN}/assets/index-1.js?v=1#x`, APP_ORIGIN)?.contentType).toMatch(/^text\/javascript/);
  });

  it.each([
    `${APP_ORIGIN}/../${path.basename(outside)}`,
    `${APP_ORIGIN}/%2e%2e/${path.basename(outside)}`,
    `${APP_ORIGIN}/assets/..%2f..%2f${path.basename(outside)}`,
    `${APP_ORIGIN}/.hidden`,
    `${APP_ORIGIN}//etc/passwd`,
    `${APP_ORIGIN}/${outside}`,
    `app://other/index.html`,
    `file://${path.join(root, 'index.html')}`,
  ])('refuses anything that is not a listed file of the folder: %s', async (url) => {
    expect(appFileFor(await listRendererFiles(root), url, APP_ORIGIN)).toBeNull();
  });

  it('lists nothing (so serves nothing) when the build folder is missing', async () => {
    expect((await listRendererFiles(path.join(root, 'missing'))).size).toBe(0);
  });
});

describe('privileged schemes', () => {
  it('declares app:// and dar-media:// in ONE registerSchemesAsPrivileged call', async () => {
    const register = vi.fn();
    vi.doMock('electron', () => ({ protocol: { registerSchemesAsPrivileged: register, handle: vi.fn() } }));
    const { registerPrivilegedSchemes } = await import('./schemes');
    registerPrivilegedSchemes();
    expect(register).toHaveBeenCalledTimes(1);
    const schemes = (register.mock.calls[0][0] as { scheme: string; privileges: Record<string, boolean> }[]).map((s) => [s.scheme, s.privileges]);
    expect(Object.fromEntries(schemes)).toMatchObject({ app: { standard: true, secure: true }, 'dar-media': { standard: true, secure: true, stream: true } });
    vi.doUnmock('electron');
  });
});
