/**
 * Transcripts beside a video, read into words with times. Four forms, by extension:
 *
 * - `.json` word-timed: `{ "words": [{ "word": "hello", "start": 0.12, "end": 0.40 }, ...] }`
 *   (seconds from the start of the video, start <= end, in order); times kept as given.
 * - `.srt` / `.vtt` subtitles: each cue's words share its span evenly (timing 'segments').
 * - `.txt` plain text: no times; the words share the whole clip evenly (timing 'uniform').
 * - none: no words (timing 'none'); the language track is then only [CLS] and [SEP].
 *
 * Pure: the caller reads the file.
 */
import { DarError } from '../errors';

/** How the word times were found. */
export type WordTiming = 'words' | 'segments' | 'uniform' | 'none';

/** The transcript kinds, in the order they are preferred when several sit beside a video. */
export const TRANSCRIPT_EXTENSIONS = ['.json', '.srt', '.vtt', '.txt'] as const;

/** A transcript's words and their [start, end] seconds (2 per word). */
export interface Transcript {
  words: string[];
  spans: Float32Array;
  timing: WordTiming;
}

interface Segment {
  start: number;
  end: number;
  text: string;
}

const splitWords = (text: string): string[] => text.split(/\s+/).filter(Boolean);

/** Words spread evenly over each segment, in order. */
export function spreadSegments(segments: readonly Segment[]): { words: string[]; spans: Float32Array } {
  const words: string[] = [];
  const spans: number[] = [];
  for (const seg of segments) {
    const segWords = splitWords(seg.text);
    const step = (seg.end - seg.start) / Math.max(1, segWords.length);
    segWords.forEach((w, i) => {
      words.push(w);
      spans.push(seg.start + i * step, seg.start + (i + 1) * step);
    });
  }
  return { words, spans: Float32Array.from(spans) };
}

/** "01:02:03,456", "02:03.456" or "3.5" as seconds; NaN when it is none of these. */
export function parseTimestamp(text: string): number {
  const m = /^(?:(\d+):)?(?:(\d{1,2}):)?(\d{1,2}(?:[.,]\d+)?)$/.exec(text.trim());
  if (!m) return Number.NaN;
  const [h, mi] = m[2] === undefined ? [0, Number(m[1] ?? 0)] : [Number(m[1]), Number(m[2])];
  return h * 3600 + mi * 60 + Number(m[3].replace(',', '.'));
}

// Markup inside cues: <i>, <c.red>, <00:01.000> karaoke times, {\an8} positioning.
const MARKUP = /<[^>]*>|\{\\[^}]*\}/g;

/** The cues of an .srt or .vtt file (both put "start --> end" on the line before the text). */
export function parseSubtitles(text: string, name: string): Segment[] {
  const blocks = text.replace(/^\uFEFF/, '').split(/\r?\n\s*\r?\n/);
  const segments: Segment[] = [];
  for (const block of blocks) {
    const lines = block.split(/\r?\n/);
    const at = lines.findIndex((l) => l.includes('-->'));
    if (at < 0) continue;
    const [startText, rest] = lines[at].split('-->');
    const start = parseTimestamp(startText);
    const end = parseTimestamp(rest.trim().split(/\s+/)[0] ?? '');
    if (!(start >= 0) || !(end >= start)) {
      throw new DarError('EXTRACT_TRANSCRIPT', `${name}: bad cue times "${lines[at].trim()}"`);
    }
    segments.push({ start, end, text: lines.slice(at + 1).join(' ').replace(MARKUP, ' ').trim() });
  }
  return segments;
}

/** The words of a word-timed JSON transcript (format in the header), checked. */
export function parseWordJson(text: string, name: string): Transcript {
  const bad = (why: string): DarError => new DarError('EXTRACT_TRANSCRIPT', `${name}: ${why}`);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw bad(`not valid JSON (${(err as Error).message})`);
  }
  const list = (raw as { words?: unknown } | null)?.words;
  if (!Array.isArray(list)) throw bad('expected { "words": [{ "word", "start", "end" }, ...] }');
  const words: string[] = [];
  const spans = new Float32Array(2 * list.length);
  list.forEach((w: unknown, i) => {
    const { word, start, end } = (w ?? {}) as Record<string, unknown>;
    if (typeof word !== 'string' || word.trim() === '') throw bad(`words[${i}].word must be a non-empty string`);
    if (typeof start !== 'number' || typeof end !== 'number' || !(start >= 0) || !(end >= start) || !Number.isFinite(end)) {
      throw bad(`words[${i}] needs seconds 0 <= start <= end, got start ${String(start)}, end ${String(end)}`);
    }
    if (i > 0 && start < spans[2 * i - 2]) throw bad(`words[${i}] starts before words[${i - 1}] (words must be in order)`);
    words.push(word.trim());
    spans.set([start, end], 2 * i);
  });
  return { words, spans, timing: 'words' };
}

/** Reads a transcript's text by its extension; `duration` spreads a plain text's words. */
export function parseTranscript(text: string, ext: string, name: string, duration: number): Transcript {
  switch (ext.toLowerCase()) {
    case '.json':
      return parseWordJson(text, name);
    case '.srt':
    case '.vtt':
      return { ...spreadSegments(parseSubtitles(text, name)), timing: 'segments' };
    case '.txt':
      return { ...spreadSegments([{ start: 0, end: duration, text }]), timing: 'uniform' };
    default:
      throw new DarError('EXTRACT_TRANSCRIPT', `${name}: unknown transcript type '${ext}' (use ${TRANSCRIPT_EXTENSIONS.join(', ')})`);
  }
}

/** The empty transcript of a video that has none. */
export const NO_TRANSCRIPT: Transcript = { words: [], spans: new Float32Array(0), timing: 'none' };
