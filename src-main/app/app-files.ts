/**
 * The built renderer as app://studio serves it (shell-common/renderer-files.ts lists and keys the
 * files). No Electron import: it is tested in plain Node.
 */
import { mimeType } from '../engine/media/mime';
import { rendererKey } from '../shell-common/renderer-files';

/** A file the page may load: where it is and its MIME type. */
export interface AppFile {
  path: string;
  contentType: string;
}

/** The file for a request URL of the app origin (`/` is the index page), or null for anything else. */
export function appFileFor(files: ReadonlyMap<string, string>, url: string, origin: string): AppFile | null {
  const bare = url.split(/[?#]/)[0];
  if (!bare.startsWith(`${origin}/`)) return null;
  const pathname = bare.slice(origin.length);
  const key = rendererKey(pathname);
  const path = files.get(key);
  return path ? { path, contentType: mimeType(key) } : null;
}
