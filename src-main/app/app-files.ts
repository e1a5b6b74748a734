/**
 * The built renderer as app://studio serves it: the files found in the build folder, by exact URL
 * path. Nothing from a URL is ever joined onto a file path, so no `..`, encoded slash or absolute
 * path can reach outside the folder. No Electron import: it is tested in plain Node.
 */
import { readdir } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** A file the page may load: where it is and its MIME type. */
export interface AppFile {
  path: string;
  contentType: string;
}

async function walk(root: string, dir: string, out: Map<string, string>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, out);
    else if (entry.isFile()) out.set(`/${relative(root, full).split(sep).join('/')}`, full);
  }
}

/** Lists the build folder once; the packaged app's renderer never changes while it runs. */
export async function listAppFiles(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  await walk(root, root, files).catch(() => undefined);
  return files;
}

/** The file for a request URL of the app origin (`/` is the index page), or null for anything else. */
export function appFileFor(files: ReadonlyMap<string, string>, url: string, origin: string): AppFile | null {
  const bare = url.split(/[?#]/)[0];
  if (!bare.startsWith(`${origin}/`)) return null;
  const pathname = bare.slice(origin.length);
  const key = pathname === '/' ? '/index.html' : pathname;
  const path = files.get(key);
  return path ? { path, contentType: MIME[extname(key).toLowerCase()] ?? 'application/octet-stream' } : null;
}
