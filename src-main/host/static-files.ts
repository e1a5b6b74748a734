/**
 * The built renderer as the browser host serves it. Only files found in the build folder are
 * ever served, by exact URL path: nothing from a URL is joined onto a file path, so no traversal
 * can reach outside it. The index page gets the token appended to its own script and style URLs.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};
/** A missed path re-reads the folder (a rebuild may have added files), at most this often. */
const RESCAN_MS = 1000;

/** MIME type of a file name. */
export function mimeType(name: string): string {
  return MIME[extname(name).toLowerCase()] ?? 'application/octet-stream';
}

async function walk(root: string, dir: string, out: Map<string, string>): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, out);
    else if (entry.isFile()) out.set(`/${relative(root, full).split(sep).join('/')}`, full);
  }
}

/** Appends the token to the page's local src/href URLs and gives it an inline icon (no stray 401). */
export function personaliseIndex(html: string, token: string): string {
  const withToken = html.replace(/\b(src|href)="(\.?\/[^"?#:]*)"/g, (_all, attr: string, url: string) => {
    if (url.startsWith('//')) return `${attr}="${url}"`;
    return `${attr}="${url}?token=${token}"`;
  });
  return /rel="icon"/.test(withToken) ? withToken : withToken.replace('</head>', '  <link rel="icon" href="data:," />\n  </head>');
}

/** A served file: its bytes and MIME type. */
export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/** The files of one build folder, by URL path. */
export class StaticFiles {
  private files = new Map<string, string>();
  private scannedAt = -Infinity;

  constructor(private readonly root: string) {}

  private async scan(): Promise<void> {
    const files = new Map<string, string>();
    await walk(this.root, this.root, files).catch(() => undefined);
    this.files = files;
    this.scannedAt = Date.now();
  }

  /** The file at a URL path ('/' is the index page), or null. */
  async get(pathname: string, token: string): Promise<StaticFile | null> {
    const key = pathname === '/' ? '/index.html' : pathname;
    if (!this.files.has(key) && Date.now() - this.scannedAt > RESCAN_MS) await this.scan();
    const path = this.files.get(key);
    if (!path) return null;
    const body = await readFile(path).catch(() => null);
    if (!body) return null;
    if (key === '/index.html') return { body: Buffer.from(personaliseIndex(body.toString('utf8'), token)), contentType: mimeType(key) };
    return { body, contentType: mimeType(key) };
  }
}
