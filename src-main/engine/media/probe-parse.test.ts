import { describe, expect, it } from 'vitest';
import { containerName, parseFfmpegInfo, parseFfprobeJson, parseRate } from './probe-parse';

// Verbatim `ffmpeg -i` output (ffmpeg 5.1) of an H.264/AAC mp4 and of an mp3 with cover art.
const MP4_INFO = `Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/tmp/h264.mp4':
  Metadata:
    major_brand     : isom
  Duration: 00:00:02.00, start: 0.000000, bitrate: 347 kb/s
  Stream #0:0[0x1](und): Video: h264 (Constrained Baseline) (avc1 / 0x31637661), yuv420p(progressive), 160x120 [SAR 1:1 DAR 4:3], 265 kb/s, 29.97 fps, 29.97 tbr, 12800 tbn (default)
    Metadata:
      handler_name    : VideoHandler
  Stream #0:1[0x2](und): Audio: aac (LC) (mp4a / 0x6134706D), 44100 Hz, 5.1(side), fltp, 69 kb/s (default)
At least one output file must be specified
`;
const MP3_COVER_INFO = `Input #0, mp3, from '/tmp/cover.mp3':
  Duration: 00:01:01.04, start: 0.025056, bitrate: 132 kb/s
  Stream #0:0: Audio: mp3, 44100 Hz, stereo, fltp, 128 kb/s
  Stream #0:1: Video: mjpeg (Baseline), yuvj420p(pc, bt470bg/unknown/unknown), 64x64 [SAR 1:1 DAR 1:1], 90k tbr, 90k tbn (attached pic)
`;

describe('parseFfmpegInfo', () => {
  it('reads container, duration and both streams from ffmpeg -i', () => {
    expect(parseFfmpegInfo(MP4_INFO, '/tmp/h264.mp4')).toEqual({
      duration: 2,
      container: 'mp4',
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      video: { codec: 'h264', width: 160, height: 120, fps: 29.97, pixelFormat: 'yuv420p' },
      audio: { codec: 'aac', sampleRate: 44100, channels: 6 },
    });
  });

  it('does not take cover art for a video stream', () => {
    const facts = parseFfmpegInfo(MP3_COVER_INFO, '/tmp/cover.mp3');
    expect(facts.video).toBeNull();
    expect(facts.audio).toEqual({ codec: 'mp3', sampleRate: 44100, channels: 2 });
    expect(facts.duration).toBeCloseTo(61.04, 6);
  });

  it('answers MEDIA_UNSUPPORTED when ffmpeg could not open the input', () => {
    expect(() => parseFfmpegInfo('/tmp/x.txt: Invalid data found when processing input\n', '/tmp/x.txt')).toThrow(
      expect.objectContaining({ code: 'MEDIA_UNSUPPORTED', message: expect.stringMatching(/x\.txt.*Invalid data/) }),
    );
  });
});

describe('parseFfprobeJson', () => {
  it('reads the first real video and audio stream and skips cover art', () => {
    const json = {
      format: { format_name: 'mov,mp4,m4a,3gp,3g2,mj2', duration: '12.500000' },
      streams: [
        { codec_type: 'video', codec_name: 'mjpeg', width: 300, height: 300, disposition: { attached_pic: 1 } },
        { codec_type: 'audio', codec_name: 'opus', sample_rate: '48000', channels: 2 },
        { codec_type: 'video', codec_name: 'hevc', width: 1920, height: 1080, avg_frame_rate: '30000/1001', pix_fmt: 'yuv420p10le', disposition: { attached_pic: 0 } },
      ],
    };
    expect(parseFfprobeJson(JSON.stringify(json), '/x/clip.MOV')).toEqual({
      duration: 12.5,
      container: 'mov',
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      video: { codec: 'hevc', width: 1920, height: 1080, fps: 30000 / 1001, pixelFormat: 'yuv420p10le' },
      audio: { codec: 'opus', sampleRate: 48000, channels: 2 },
    });
  });

  it('falls back to stream durations when the container has none', () => {
    const json = { format: { format_name: 'ogg' }, streams: [{ codec_type: 'audio', codec_name: 'vorbis', sample_rate: '8000', channels: 1, duration: '3.5' }] };
    expect(parseFfprobeJson(JSON.stringify(json), 'a.ogg').duration).toBe(3.5);
  });

  it('answers MEDIA_FAILED on output that is not JSON', () => {
    expect(() => parseFfprobeJson('oops', 'a.mp4')).toThrow(expect.objectContaining({ code: 'MEDIA_FAILED' }));
  });
});

describe('parseRate and containerName', () => {
  it.each([
    ['25/1', 25],
    ['30000/1001', 30000 / 1001],
    ['0/0', 0],
    ['', 0],
    [undefined, 0],
  ])('rate %s is %d', (rate, fps) => expect(parseRate(rate)).toBeCloseTo(fps, 9));

  it.each([
    ['mov,mp4,m4a,3gp,3g2,mj2', 'a.mp4', 'mp4'],
    ['mov,mp4,m4a,3gp,3g2,mj2', 'a.MOV', 'mov'],
    ['mov,mp4,m4a,3gp,3g2,mj2', 'a.3gp', 'mp4'],
    ['mov,mp4,m4a,3gp,3g2,mj2', 'song.m4a', 'm4a'],
    ['matroska,webm', 'a.webm', 'webm'],
    ['matroska,webm', 'a.mkv', 'mkv'],
    ['avi', 'a.avi', 'avi'],
    ['ogg', 'a.ogv', 'ogg'],
  ])('%s from %s is %s', (format, file, name) => expect(containerName(format, file)).toBe(name));
});
