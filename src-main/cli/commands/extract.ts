import path from 'node:path';
import type { ExtractProgress, ExtractReport } from '#contract/extract';
import { DarError } from '../../engine/errors';
import type { Extractors } from '../../engine/extract/extractor-types';
import { DEFAULT_FPS, extractFolder } from '../../engine/extract/extract-folder';
import { positional } from '../args';
import type { FlagTable } from '../args';
import type { CliIo, Command } from '../command';
import { JSON_FLAG } from '../flags';

const EXTRACT_FLAGS = {
  out: { type: 'string', value: '<clip folder>', help: 'the clip folder to write (required; empty or absent unless --resume)' },
  fps: { type: 'integer', value: 'N', help: `face frames per second, 1..60 [${DEFAULT_FPS}]` },
  acoustic: { type: 'enum', values: ['mmsa-librosa', 'chsims'], help: 'acoustic features: MMSA-FET librosa (70 columns) or CH-SIMS style (33) [mmsa-librosa]' },
  'bert-model': { type: 'string', value: 'DIR', help: 'folder holding the BERT model (offline); else it is downloaded once into the user cache' },
  resume: { type: 'boolean', help: 'continue an earlier run into --out: clips already written are skipped' },
  json: JSON_FLAG,
} as const satisfies FlagTable;

/** "1:05" / "1:02:03" for an ETA. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const hms = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const parts = hms[0] > 0 ? hms : hms.slice(1);
  return parts.map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, '0'))).join(':');
}

/** One progress line: clip, stage, overall fraction, ETA. */
export function progressLine(p: ExtractProgress): string {
  const eta = p.etaSeconds === null ? '' : `  ETA ${clock(p.etaSeconds)}`;
  return `[${p.index + 1}/${p.total}] ${p.file}: ${p.stage.padEnd(8)} ${(100 * p.fraction).toFixed(0).padStart(3)}%${eta}`;
}

function summary(r: ExtractReport): string {
  const lines = r.clips.map((c) => {
    const what = c.status === 'failed' ? `failed ${c.error?.code}: ${c.error?.message}` : c.status;
    return `  ${c.file} -> ${c.id}: ${what}${c.notes.length ? ` (${c.notes.join('; ')})` : ''}`;
  });
  const rate = r.timings.wall > 0 ? `, ${(r.timings.mediaSeconds / r.timings.wall).toFixed(1)}x real time` : '';
  return [
    `${r.cancelled ? 'cancelled; ' : ''}wrote ${r.out}: ${r.written} written, ${r.skipped} skipped, ${r.failed} failed in ${clock(r.timings.wall)}${rate}`,
    ...lines,
    ...r.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

/** `dar extract` with these extractors (the real ones unless a test passes its own). */
export function makeExtractCommand(extractors?: Extractors): Command<typeof EXTRACT_FLAGS> {
  return {
    name: 'extract',
    summary: 'extract text, audio and face features from a folder of videos into a clip folder',
    positionals: ['<videos folder>'],
    flags: EXTRACT_FLAGS,
    notes: [
      'Transcripts beside each video (same name): .json word times {"words":[{"word","start","end"}]}, .srt/.vtt, or .txt.',
      'A video that cannot be used (unreadable, no audio, silent) is reported and skipped; one with no face is kept with its visual track flagged missing. Labels start at 0 (labelled = 0).',
    ],
    async run(args, io: CliIo) {
      const { flags } = args;
      const videos = positional(args, 0, 'videos folder (dar extract <videos folder> --out <clip folder>)');
      if (!flags.out) throw new DarError('ARG_INVALID', '--out <clip folder> is required');
      const controller = new AbortController();
      const stop = (): void => controller.abort(new DarError('EXTRACT_CANCELLED', 'interrupted'));
      process.once('SIGINT', stop);
      try {
        const report = await extractFolder({
          videos: path.resolve(videos),
          out: path.resolve(flags.out),
          fps: flags.fps,
          acoustic: flags.acoustic,
          bertModel: flags['bert-model'],
          resume: flags.resume,
          extractors,
          signal: controller.signal,
          onProgress: (p) => io.err(flags.json ? JSON.stringify({ progress: p }) : progressLine(p)),
          onModelProgress: (f) => io.err(flags.json ? JSON.stringify({ model: f }) : `BERT model download ${(100 * f).toFixed(0)}%`),
        });
        io.out(flags.json ? JSON.stringify(report) : summary(report));
        if (report.cancelled) return 130;
        const first = report.clips.find((c) => c.error)?.error;
        if (report.written + report.skipped === 0 && first) throw new DarError(first.code, `no video could be extracted; the first: ${first.message}`);
        return 0;
      } finally {
        process.off('SIGINT', stop);
      }
    },
  };
}

/** `dar extract <videos folder> --out <clip folder> [--fps N] [--acoustic P] [--bert-model DIR] [--resume] [--json]`. */
export const extractCommand = makeExtractCommand();
