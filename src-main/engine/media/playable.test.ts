import { describe, expect, it } from 'vitest';
import type { AudioStreamInfo, VideoStreamInfo } from '#contract/media';
import { unplayableReason, withPlayability } from './playable';

const v = (codec: string, pixelFormat = 'yuv420p'): VideoStreamInfo => ({ codec, width: 640, height: 360, fps: 25, pixelFormat });
const a = (codec: string): AudioStreamInfo => ({ codec, sampleRate: 48000, channels: 2 });
const facts = (container: string, video: VideoStreamInfo | null, audio: AudioStreamInfo | null) => ({ duration: 1, container, formatName: container, video, audio });

describe('playable in Chromium', () => {
  it.each([
    ['mp4', v('h264'), a('aac')],
    ['mov', v('h264'), a('mp3')],
    ['m4v', v('h264'), null],
    ['mp4', v('av1'), a('opus')],
    ['webm', v('vp9'), a('opus')],
    ['webm', v('vp8'), a('vorbis')],
    ['m4a', null, a('aac')],
    ['ogg', null, a('vorbis')],
    ['mp3', null, a('mp3')],
    ['wav', null, a('pcm_s16le')],
  ])('%s with %o and %o plays as is', (container, video, audio) => {
    expect(unplayableReason(facts(container, video, audio))).toBeNull();
  });

  it.each([
    ['mp4', v('hevc'), a('aac'), 'HEVC (H.265) video'],
    ['mp4', v('mpeg4'), a('aac'), 'MPEG-4 Part 2 video'],
    ['ogg', v('theora'), a('vorbis'), 'Theora video'],
    ['avi', v('h264'), a('mp3'), 'AVI container'],
    ['mkv', v('h264'), a('aac'), 'MKV container'],
    ['mp4', v('h264', 'yuv420p10le'), a('aac'), 'H.264 video in yuv420p10le (Chromium decodes 8-bit 4:2:0 only)'],
    ['mp4', v('h264', 'yuv444p'), null, 'H.264 video in yuv444p (Chromium decodes 8-bit 4:2:0 only)'],
    ['webm', v('h264'), a('opus'), 'h264 video in a WebM container'],
    ['webm', v('vp9'), a('aac'), 'aac audio in a WebM container'],
    ['mp4', v('h264'), a('ac3'), 'ac3 audio'],
    ['mov', v('h264'), a('pcm_s16le'), 'pcm_s16le audio'],
    ['mp4', null, null, 'no audio or video stream'],
  ])('%s with %o and %o needs a transcode: %s', (container, video, audio, reason) => {
    const probe = withPlayability(facts(container, video, audio));
    expect(probe.playableInChromium).toBe(false);
    expect(probe.unplayableReason).toBe(reason);
  });
});
