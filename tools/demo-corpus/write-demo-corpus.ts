/**
 * Writes the demo corpus folder (resources/demo) atomically: everything goes into a sibling
 * `DIR.tmp-*` folder, which then replaces DIR. Videos are made when ffmpeg and espeak-ng are
 * there; otherwise (or with `media: false`) the existing videos are kept if their clips are
 * unchanged, and only the numeric data is regenerated.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { SplitName } from '#contract/dataset';
import { DarError } from '../../src-main/engine/errors';
import { readManifest } from '../../src-main/engine/data/clip-folder/manifest';
import { parseNpz } from '../../src-main/engine/data/feature-files/npz';
import { DEMO_DEFAULTS, generateDemoCorpus, retimeClip } from './demo-corpus';
import type { DemoClip, DemoCorpus, DemoCorpusOptions } from './demo-corpus';
import { DEMO_GENERATOR, datasetJson, encodeClipNpz, generatorOf, labelCsv, timingFromNpz } from './demo-files';
import { makeClipVideo } from './demo-media';
import { findMediaTools } from './demo-tools';
import type { MediaTools } from './demo-tools';

/** Options of {@link writeDemoCorpus}. */
export interface WriteDemoOptions {
  /** The folder to (re)create. */
  out: string;
  /** Corpus sizes and seed; defaults {@link DEMO_DEFAULTS}. */
  corpus?: Partial<DemoCorpusOptions>;
  /** Make the videos (default true); false keeps the existing ones. */
  media?: boolean;
  /** Progress lines (stderr in the CLI). */
  log?: (line: string) => void;
  /** Environment for tool lookup (FFMPEG_PATH, ESPEAK_PATH). */
  env?: NodeJS.ProcessEnv;
}

/** One video of the written corpus. */
export interface DemoVideoReport {
  id: string;
  /** Path relative to the corpus folder. */
  path: string;
  bytes: number;
  duration: number;
  source: 'generated' | 'kept';
}

/** What {@link writeDemoCorpus} wrote. */
export interface DemoWriteReport {
  out: string;
  clips: Record<SplitName, number>;
  videos: DemoVideoReport[];
  /** Total size of the folder in bytes. */
  bytes: number;
  warnings: string[];
}

/** What the previous corpus in DIR offers for reuse. */
interface Previous {
  dir: string;
  texts: Map<string, string>;
}

const clipKey = (c: DemoClip): string => `${c.videoId}$_$${c.clipId}`;
const videoPath = (c: DemoClip): string => join('Raw', c.videoId, `${c.clipId}.mp4`);

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}

/** The previous demo corpus in `dir`, when it was made by this generator version and seed. */
async function readPrevious(dir: string, seed: number): Promise<Previous | undefined> {
  const meta = await readFile(join(dir, 'dataset.json'), 'utf8').then((t) => JSON.parse(t) as unknown, () => undefined);
  const g = generatorOf(meta);
  if (!g || g.version !== DEMO_GENERATOR.version || g.seed !== seed) return undefined;
  const rows = await readManifest(dir).catch(() => []);
  return { dir, texts: new Map(rows.map((r) => [`${r.videoId}$_$${r.clipId}`, r.text])) };
}

/** Refuses to replace a folder that is neither empty nor a demo corpus (a mistyped --out). */
async function checkTarget(out: string): Promise<void> {
  const entries = await readdir(out).catch(() => undefined);
  if (!entries || entries.length === 0) return;
  const meta = await readFile(join(out, 'dataset.json'), 'utf8').then((t) => JSON.parse(t) as unknown, () => undefined);
  if (!generatorOf(meta)) {
    throw new DarError('ARG_INVALID', `${out} exists and is not a demo corpus (no dataset.json from "${DEMO_GENERATOR.tool}"); choose a new or empty folder`);
  }
}

/** Re-times a clip from the previous corpus's files and copies its video, if they still fit. */
async function keepVideo(corpus: DemoCorpus, clip: DemoClip, prev: Previous | undefined, tmp: string): Promise<DemoClip | undefined> {
  if (!prev || prev.texts.get(clipKey(clip)) !== clip.text || !(await exists(join(prev.dir, videoPath(clip))))) return undefined;
  const npzPath = join(prev.dir, 'features', clip.videoId, `${clip.clipId}.npz`);
  const bytes = await readFile(npzPath).catch(() => undefined);
  if (!bytes) return undefined;
  const timing = timingFromNpz(parseNpz(bytes, npzPath), clip.timeline.words.map((w) => w.word));
  if (!timing) return undefined;
  const timed = retimeClip(corpus, clip, timing.timeline, timing.energy);
  // Only a clip that rebuilds to the very same bytes still matches its video.
  if (!Buffer.from(encodeClipNpz(timed)).equals(bytes)) return undefined;
  await mkdir(dirname(join(tmp, videoPath(clip))), { recursive: true });
  await copyFile(join(prev.dir, videoPath(clip)), join(tmp, videoPath(clip)));
  return timed;
}

async function makeVideo(tools: MediaTools, corpus: DemoCorpus, clip: DemoClip, tmp: string): Promise<DemoClip> {
  const out = join(tmp, videoPath(clip));
  await mkdir(dirname(out), { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'dar-demo-'));
  try {
    return await makeClipVideo(tools, corpus, clip, out, work);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Gives every clip chosen for video its video (made or kept) or, failing both, none. */
async function placeVideos(corpus: DemoCorpus, tools: MediaTools | undefined, prev: Previous | undefined, tmp: string, o: WriteDemoOptions, warnings: string[]): Promise<{ clips: DemoClip[]; videos: DemoVideoReport[] }> {
  const clips: DemoClip[] = [];
  const videos: DemoVideoReport[] = [];
  for (const clip of corpus.clips) {
    if (!clip.withVideo) {
      clips.push(clip);
      continue;
    }
    const made = tools ? await makeVideo(tools, corpus, clip, tmp) : await keepVideo(corpus, clip, prev, tmp);
    if (!made) {
      warnings.push(`no video for ${clipKey(clip)}: none to keep in ${o.out} for this clip, and media generation is off`);
      clips.push({ ...clip, withVideo: false });
      continue;
    }
    const bytes = (await stat(join(tmp, videoPath(clip)))).size;
    videos.push({ id: clipKey(clip), path: videoPath(clip), bytes, duration: made.timeline.duration, source: tools ? 'generated' : 'kept' });
    o.log?.(`video ${videoPath(clip)}: ${made.timeline.duration.toFixed(2)} s, ${(bytes / 1024).toFixed(0)} KiB (${tools ? 'made' : 'kept'})`);
    clips.push(made);
  }
  return { clips, videos };
}

async function folderBytes(dir: string): Promise<number> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  const sizes = await Promise.all(entries.filter((e) => e.isFile()).map((e) => stat(join(e.parentPath, e.name)).then((s) => s.size)));
  return sizes.reduce((a, b) => a + b, 0);
}

/** Replaces `out` by `tmp` with two renames, so readers see the old or the new corpus. */
async function swapIn(tmp: string, out: string): Promise<void> {
  const old = `${out}.old-${process.pid}-${randomBytes(3).toString('hex')}`;
  const hadOld = await exists(out);
  if (hadOld) await rename(out, old);
  try {
    await rename(tmp, out);
  } catch (err) {
    if (hadOld) await rename(old, out);
    throw err;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
}

async function lookupTools(o: WriteDemoOptions, warnings: string[]): Promise<MediaTools | undefined> {
  if (o.media === false) return undefined;
  const found = await findMediaTools(o.env);
  if (found.ok) return found.tools;
  warnings.push(`media tools missing: ${found.missing.join('; ')}. Keeping the existing videos and regenerating only the numeric data.`);
  return undefined;
}

/** Generates the demo corpus and writes it to `options.out`, replacing what was there. */
export async function writeDemoCorpus(o: WriteDemoOptions): Promise<DemoWriteReport> {
  const options: DemoCorpusOptions = { ...DEMO_DEFAULTS, ...o.corpus };
  const out = resolve(o.out);
  await checkTarget(out);
  const corpus = generateDemoCorpus(options);
  const warnings: string[] = [];
  const tools = await lookupTools(o, warnings);
  const prev = tools ? undefined : await readPrevious(out, options.seed);
  await mkdir(dirname(out), { recursive: true });
  const tmp = `${out}.tmp-${process.pid}-${randomBytes(3).toString('hex')}`;
  await mkdir(tmp);
  try {
    const { clips, videos } = await placeVideos(corpus, tools, prev, tmp, o, warnings);
    for (const clip of clips) {
      const file = join(tmp, 'features', clip.videoId, `${clip.clipId}.npz`);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, encodeClipNpz(clip));
    }
    await writeFile(join(tmp, 'label.csv'), labelCsv(clips));
    await writeFile(join(tmp, 'dataset.json'), datasetJson(options, videos.length));
    const bytes = await folderBytes(tmp);
    await swapIn(tmp, out);
    return { out, clips: { train: options.nTrain, valid: options.nValid, test: options.nTest }, videos, bytes, warnings };
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
