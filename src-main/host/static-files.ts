/**
 * The built renderer as the browser host serves it (shell-common/renderer-files.ts lists and
 * keys the files, so no URL reaches outside the build folder). The index page gets the token
 * appended to its own script and style URLs.
 */
import { readFile } from 'node:fs/promises';
import { mimeType } from '../engine/media/mime';
import { listRendererFiles, rendererKey } from '../shell-common/renderer-files';

/** A missed path re-reads the folder (a rebuild may have added files), at most this often. */
const RESCAN_MS = 1000;

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
    this.files = await listRendererFiles(this.root);
    this.scannedAt = Date.now();
  }

  /** The file at a URL path ('/' is the index page), or null. */
  async get(pathname: string, token: string): Promise<StaticFile | null> {
    const key = rendererKey(pathname);
    if (!this.files.has(key) && Date.now() - this.scannedAt > RESCAN_MS) await this.scan();
    const path = this.files.get(key);
    if (!path) return null;
    const body = await readFile(path).catch(() => null);
    if (!body) return null;
    if (key === '/index.html') return { body: Buffer.from(personaliseIndex(body.toString('utf8'), token)), contentType: mimeType(key) };
    return { body, contentType: mimeType(key) };
  }
}
