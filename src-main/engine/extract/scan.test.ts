import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../../testing/temp-dir';
import { safeId, scanVideos } from './scan';

const dir = useTempDir('dar-scan-');

describe('scanVideos', () => {
  it('finds videos at the top and one level down, with the transcript beside each', async () => {
    for (const f of ['b talk.mp4', 'b talk.srt', 'b talk.txt', 'a.webm', 'notes.txt', '.hidden.mp4', 'ses/1.mkv', 'ses/1.json', 'ses/x.MOV']) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), 'x');
    }
    const found = await scanVideos(dir);
    expect(found.map((v) => [v.name, v.videoId, v.clipId, v.transcript && path.basename(v.transcript)])).toEqual([
      ['a.webm', 'a', '0', null],
      ['b talk.mp4', 'b_talk', '0', 'b talk.srt'],
      [path.join('ses', '1.mkv'), 'ses', '1', '1.json'],
      [path.join('ses', 'x.MOV'), 'ses', 'x', null],
    ]);
  });

  it('makes ids the clip folder accepts', () => {
    expect([safeId('a/b'), safeId('..'), safeId('x$_$y'), safeId('é t')]).toEqual(['a_b', '_..', 'x___y', '_t']);
  });

  it('answers a missing folder with FILE_NOT_FOUND', async () => {
    await expect(scanVideos(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
