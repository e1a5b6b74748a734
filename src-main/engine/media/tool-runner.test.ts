import { describe, expect, it } from 'vitest';
import { lastLine, runOk, spawnRunner, toolFailure } from './tool-runner';

describe('tool runner', () => {
  it("turns a failed run into MEDIA_FAILED carrying ffmpeg's last stderr line", async () => {
    const err = await runOk(spawnRunner, 'ffmpeg', ['-hide_banner', '-no_such_option'], 'ffmpeg', '/clips/a.mp4').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'MEDIA_FAILED' });
    const message = (err as Error).message;
    expect(message).toMatch(/^\/clips\/a\.mp4: ffmpeg failed with exit code [1-9]\d*: /);
    expect(message).toMatch(/Option not found|Unrecognized option/);
  });

  it('calls unreadable input MEDIA_UNSUPPORTED', () => {
    const err = toolFailure('ffprobe', 'x.bin', { code: 1, stdout: Buffer.alloc(0), stderr: 'x.bin: Invalid data found when processing input\n' });
    expect(err.code).toBe('MEDIA_UNSUPPORTED');
  });

  it('keeps the last non-empty line', () => {
    expect(lastLine('a\r\nb\n\n  c  \n\n')).toBe('c');
    expect(lastLine('')).toBe('(no output)');
  });

  it('pipes stdin and collects stdout', async () => {
    // 2x1 RGB pixels in, the same bytes out through a rawvideo round trip.
    const pixels = Uint8Array.of(255, 0, 0, 0, 0, 255);
    const args = ['-v', 'error', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', '2x1', '-i', 'pipe:0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'];
    const { code, stdout } = await spawnRunner('ffmpeg', args, { stdin: pixels });
    expect(code).toBe(0);
    expect(new Uint8Array(stdout)).toEqual(pixels);
  });

  it('kills the process on abort and rejects with the abort reason', async () => {
    const controller = new AbortController();
    const endless = ['-v', 'error', '-re', '-f', 'lavfi', '-i', 'anullsrc', '-f', 'null', '-'];
    const run = spawnRunner('ffmpeg', endless, { signal: controller.signal, onStdout: () => undefined });
    setTimeout(() => controller.abort(), 200);
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
  });
});
