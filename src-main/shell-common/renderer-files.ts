/**
 * The built renderer's files as both shells serve them (app://studio in Electron, the browser
 * host's root): found by listing the build folder and looked up by exact URL path. Nothing from
 * a URL is ever joined onto a file path, so no `..`, encoded slash or absolute path can reach
 * outside the folder.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

async function walk(root: string, dir: string, out: Map<string, string>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, out);
    else if (entry.isFile()) out.set(`/${relative(root, full).split(sep).join('/')}`, full);
  }
}

/** URL path -> file of every file in the build folder (empty when the folder is missing). */
export async function listRendererFiles(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  await walk(root, root, files).catch(() => undefined);
  return files;
}

/** The key of a URL path in that map: `/` is the index page. */
export function rendererKey(pathname: string): string {
  return pathname === '/' ? '/index.html' : pathname;
}
