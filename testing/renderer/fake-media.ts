/**
 * The media part of the fake StudioApi: ffmpeg found or missing, a sine waveform and a tiny
 * filmstrip for clips with video, and a playback state that may start out converting (tests then
 * push `media-progress` events through FakeStudio.emit).
 */
import type { StudioApi } from '#contract/api';
import type { Result } from '#contract/errors';
import type { ClipMediaState, ClipPlayback, StudioMediaMethods } from '#contract/media';

/** Options of the fake's media. */
export interface FakeMediaOptions {
  /** No ffmpeg: mediaStatus says so and waveform/filmstrip fail with MEDIA_TOOL_MISSING. */
  noFfmpeg?: boolean;
  /** Playback state per clip index [native]; tests may change it while the fake runs. */
  playback?: Map<number, ClipPlayback>;
}

const MISSING = { code: 'MEDIA_TOOL_MISSING', message: 'ffmpeg was not found' } as const;

function ok<T>(value: T): Promise<Result<T>> {
  return Promise.resolve({ ok: true, value });
}

/** The fake's StudioMediaMethods; clip i has video when `hasVideo(i)`. */
export function fakeMedia(hasVideo: (i: number) => boolean, log: (method: string, params: unknown) => void, options: FakeMediaOptions = {}): Pick<StudioApi, keyof StudioMediaMethods> {
  const missing = <T>(): Promise<Result<T>> => Promise.resolve({ ok: false, error: MISSING });
  return {
    mediaStatus: (p) => {
      log('mediaStatus', p);
      if (options.noFfmpeg) return ok({ available: false, tools: null, error: MISSING, hint: 'Install ffmpeg or set FFMPEG_PATH.' });
      return ok({ available: true, tools: { ffmpeg: '/usr/bin/ffmpeg', ffprobe: '/usr/bin/ffprobe', source: 'path' }, error: null, hint: '' });
    },
    getWaveform: (p) => {
      log('getWaveform', p);
      if (options.noFfmpeg) return missing();
      if (!hasVideo(p.index)) return ok(null);
      const n = 400;
      const max = Float32Array.from({ length: n }, (_, i) => Math.abs(Math.sin(i / 20)));
      return ok({ buckets: n, min: max.map((v) => -v), max, duration: 4, sampleRate: 8000 });
    },
    getFilmstrip: (p) => {
      log('getFilmstrip', p);
      if (options.noFfmpeg) return missing();
      if (!hasVideo(p.index)) return ok(null);
      return ok({ image: new Uint8Array([0xff, 0xd8, 0xff, 0xd9]), count: 4, tileWidth: 16, tileHeight: 9, times: Float64Array.from([0.5, 1.5, 2.5, 3.5]), duration: 4 });
    },
    clipMedia: (p) => {
      log('clipMedia', p);
      const playback = hasVideo(p.index) ? (options.playback?.get(p.index) ?? 'native') : 'none';
      const url = playback === 'none' || playback === 'converting' ? null : `/media/${p.split}/${p.index}?token=T${playback === 'converted' ? '&v=h264' : ''}`;
      const converting = playback === 'converting' || playback === 'converted';
      const state: ClipMediaState = {
        playback, fraction: playback === 'converting' ? 0 : 1, reason: converting ? 'MPEG-4 Part 2 video' : null, error: null, videoUrl: url,
        hasAudio: playback === 'none' ? null : true, hasVideo: playback === 'none' ? null : true,
      };
      return ok(state);
    },
  };
}

