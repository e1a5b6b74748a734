import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes `chunks` to `file` so that the final name only ever holds a complete file: a temp file
 * in the same folder (so the rename cannot cross file systems), fsync, rename over the target,
 * then fsync the folder so the rename itself survives a power loss. On any failure the temp
 * file is removed and whatever was under the final name before is left as it was.
 */
export async function atomicWrite(file: string, chunks: readonly Uint8Array[]): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx');
    try {
      for (const chunk of chunks) {
        // write() may write less than asked; loop until the chunk is down.
        for (let done = 0; done < chunk.byteLength; ) {
          done += (await handle.write(chunk, done, chunk.byteLength - done)).bytesWritten;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

async function syncDir(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot open or fsync a directory; the rename is still atomic there.
  }
}
