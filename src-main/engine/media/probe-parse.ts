/**
 * Pure parsers of what ffprobe (`-print_format json`) and `ffmpeg -i` say about a file, into the
 * same facts; the playability verdict is added by playable.ts.
 */
import path from 'node:path';
import type { AudioStreamInfo, MediaProbe, VideoStreamInfo } from '#contract/media';
import { DarError } from '../errors';

/** A probe before the playability verdict. */
export type StreamFacts = Omit<MediaProbe, 'playableInChromium' | 'unplayableReason'>;

/** "30000/1001" -> 29.97; "0/0", "" or garbage -> 0. */
export function parseRate(rate: unknown): number {
  if (typeof rate !== 'string') return 0;
  const [num, den = '1'] = rate.split('/');
  const value = Number(num) / Number(den);
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function num(value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** A short container name from ffmpeg's demuxer list and the file's extension (the demuxer alone cannot tell mp4 from mov, or webm from mkv). */
export function containerName(formatName: string, file: string): string {
  const ext = path.extname(file).slice(1).toLowerCase();
  const names = formatName.split(',');
  if (names.includes('mov')) return ['mov', 'm4v', 'm4a'].includes(ext) ? ext : 'mp4';
  if (names.includes('matroska')) return ext === 'webm' ? 'webm' : 'mkv';
  return names[0] || ext || 'unknown';
}

interface ProbeJson {
  format?: { format_name?: unknown; duration?: unknown };
  streams?: Array<Record<string, unknown>>;
}

function isCoverArt(stream: Record<string, unknown>): boolean {
  const disposition = stream.disposition as Record<string, unknown> | undefined;
  return disposition?.attached_pic === 1;
}

/** Facts from `ffprobe -print_format json -show_format -show_streams`. */
export function parseFfprobeJson(text: string, file: string): StreamFacts {
  let json: ProbeJson;
  try {
    json = JSON.parse(text) as ProbeJson;
  } catch {
    throw new DarError('MEDIA_FAILED', `${file}: ffprobe printed no JSON`);
  }
  const streams = Array.isArray(json.streams) ? json.streams : [];
  const v = streams.find((s) => s.codec_type === 'video' && !isCoverArt(s));
  const a = streams.find((s) => s.codec_type === 'audio');
  const video: VideoStreamInfo | null = v
    ? { codec: String(v.codec_name ?? 'unknown'), width: num(v.width), height: num(v.height), fps: parseRate(v.avg_frame_rate) || parseRate(v.r_frame_rate), pixelFormat: String(v.pix_fmt ?? '') }
    : null;
  const audio: AudioStreamInfo | null = a ? { codec: String(a.codec_name ?? 'unknown'), sampleRate: num(a.sample_rate), channels: num(a.channels) } : null;
  const formatName = String(json.format?.format_name ?? '');
  const duration = num(json.format?.duration) || Math.max(num(v?.duration), num(a?.duration));
  return { duration, container: containerName(formatName, file), formatName, video, audio };
}

const LAYOUT_CHANNELS: Record<string, number> = { mono: 1, stereo: 2, '2.1': 3, '3.0': 3, quad: 4, '4.0': 4, '5.0': 5, '5.1': 6, '6.1': 7, '7.1': 8 };

/** Splits a stream description at commas that are not inside parentheses. */
function fields(desc: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < desc.length; i++) {
    if (desc[i] === '(') depth++;
    else if (desc[i] === ')') depth = Math.max(0, depth - 1);
    else if (desc[i] === ',' && depth === 0) {
      out.push(desc.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(desc.slice(start).trim());
  return out;
}

function parseVideoLine(desc: string): VideoStreamInfo {
  const parts = fields(desc);
  const size = parts.map((p) => /^(\d+)x(\d+)/.exec(p)).find(Boolean);
  const rate = (unit: string): number => {
    const m = parts.map((p) => new RegExp(`^([\\d.]+)(k?) ${unit}$`).exec(p)).find(Boolean);
    return m ? Number(m[1]) * (m[2] ? 1000 : 1) : 0;
  };
  return {
    codec: /^(\w+)/.exec(parts[0])?.[1] ?? 'unknown',
    width: size ? Number(size[1]) : 0,
    height: size ? Number(size[2]) : 0,
    fps: rate('fps') || rate('tbr'),
    pixelFormat: /^(\w+)/.exec(parts[1] ?? '')?.[1] ?? '',
  };
}

function parseAudioLine(desc: string): AudioStreamInfo {
  const parts = fields(desc);
  const hz = parts.map((p) => /^(\d+) Hz$/.exec(p)).find(Boolean);
  const layout = parts[2] ?? '';
  const counted = /^(\d+) channels/.exec(layout);
  return {
    codec: /^(\w+)/.exec(parts[0])?.[1] ?? 'unknown',
    sampleRate: hz ? Number(hz[1]) : 0,
    channels: counted ? Number(counted[1]) : (LAYOUT_CHANNELS[layout.replace(/\(.*\)$/, '')] ?? 0),
  };
}

/** Facts from the stderr of `ffmpeg -i <file>` (used when there is no ffprobe). */
export function parseFfmpegInfo(stderr: string, file: string): StreamFacts {
  const input = /^Input #0, (.+?), from '/m.exec(stderr);
  if (!input) throw new DarError('MEDIA_UNSUPPORTED', `${file}: ffmpeg cannot read this file (${stderr.trim().split('\n').at(-1) ?? ''})`);
  const formatName = input[1];
  const d = /^\s*Duration: (\d+):(\d+):([\d.]+)/m.exec(stderr);
  const duration = d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : 0;
  let video: VideoStreamInfo | null = null;
  let audio: AudioStreamInfo | null = null;
  for (const m of stderr.matchAll(/^\s*Stream #0:\d+\S*: (Video|Audio): (.+)$/gm)) {
    if (m[1] === 'Video' && !video && !/\(attached pic\)/.test(m[2])) video = parseVideoLine(m[2]);
    if (m[1] === 'Audio' && !audio) audio = parseAudioLine(m[2]);
  }
  return { duration, container: containerName(formatName, file), formatName, video, audio };
}
