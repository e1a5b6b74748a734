/**
 * Whether Electron's Chromium plays a file as is: H.264 (8-bit 4:2:0), VP8, VP9 or AV1 video and
 * AAC, Opus, Vorbis, MP3 (or FLAC/PCM) audio, in MP4/MOV/M4V/M4A, WebM (VP8/VP9/AV1 + Opus/Vorbis
 * only), or audio-only Ogg, MP3, FLAC and WAV. HEVC, MPEG-4 Part 2, Theora, AVI and MKV need a
 * transcode.
 */
import type { MediaProbe } from '#contract/media';
import type { StreamFacts } from './probe-parse';

const VIDEO_OK = new Set(['h264', 'vp8', 'vp9', 'av1']);
const AUDIO_OK = new Set(['aac', 'opus', 'vorbis', 'mp3', 'flac']);
const PCM = new Set(['pcm_u8', 'pcm_s16le', 'pcm_s24le', 'pcm_f32le']);
const WEBM_VIDEO = new Set(['vp8', 'vp9', 'av1']);
const WEBM_AUDIO = new Set(['opus', 'vorbis']);
// Chromium's software H.264 decoder does 8-bit 4:2:0 only (not High 10, 4:2:2 or 4:4:4).
const H264_PIXELS = new Set(['', 'yuv420p', 'yuvj420p']);

const CONTAINERS: Record<string, { video: boolean; audioOnly?: Set<string> }> = {
  mp4: { video: true },
  mov: { video: true },
  m4v: { video: true },
  m4a: { video: true },
  webm: { video: true },
  ogg: { video: false, audioOnly: WEBM_AUDIO },
  mp3: { video: false, audioOnly: new Set(['mp3']) },
  flac: { video: false, audioOnly: new Set(['flac']) },
  wav: { video: false, audioOnly: PCM },
};

const CODEC_NAMES: Record<string, string> = { hevc: 'HEVC (H.265)', mpeg4: 'MPEG-4 Part 2', theora: 'Theora', mpeg2video: 'MPEG-2', msmpeg4v3: 'MS MPEG-4 v3', wmv3: 'WMV', prores: 'ProRes' };

function codecLabel(codec: string): string {
  return CODEC_NAMES[codec] ?? codec;
}

/** Why Chromium cannot play these streams, or null when it can. */
export function unplayableReason(facts: StreamFacts): string | null {
  const { container, video, audio } = facts;
  if (!video && !audio) return 'no audio or video stream';
  const box = CONTAINERS[container];
  if (!box) return `${container.toUpperCase()} container`;
  if (video) {
    if (!VIDEO_OK.has(video.codec)) return `${codecLabel(video.codec)} video`;
    if (!box.video) return `video in a ${container.toUpperCase()} file`;
    if (video.codec === 'h264' && !H264_PIXELS.has(video.pixelFormat)) return `H.264 video in ${video.pixelFormat} (Chromium decodes 8-bit 4:2:0 only)`;
    if (container === 'webm' && !WEBM_VIDEO.has(video.codec)) return `${codecLabel(video.codec)} video in a WebM container`;
  }
  if (audio) {
    if (box.audioOnly) return box.audioOnly.has(audio.codec) ? null : `${codecLabel(audio.codec)} audio in a ${container.toUpperCase()} file`;
    if (!AUDIO_OK.has(audio.codec)) return `${codecLabel(audio.codec)} audio`;
    if (container === 'webm' && !WEBM_AUDIO.has(audio.codec)) return `${codecLabel(audio.codec)} audio in a WebM container`;
  }
  return null;
}

/** Adds the playability verdict to probed facts. */
export function withPlayability(facts: StreamFacts): MediaProbe {
  const reason = unplayableReason(facts);
  return { ...facts, playableInChromium: reason === null, unplayableReason: reason };
}
