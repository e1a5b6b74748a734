/** The engine's media layer (ffmpeg): what the worker imports. */
export { resolveFfmpeg, findOnPath, INSTALL_HINT } from './resolve-ffmpeg';
export type { ResolveOptions } from './resolve-ffmpeg';
export { probeMedia } from './probe-media';
export { unplayableReason } from './playable';
export { waveform } from './waveform';
export type { WaveformOptions } from './waveform';
export { filmstrip } from './filmstrip';
export type { FilmstripOptions } from './filmstrip';
export { transcodeToH264, ensurePlayable } from './transcode';
export type { TranscodeOptions, TranscodeResult } from './transcode';
export { defaultMediaCacheDir } from './media-cache';
export type { MediaOptions } from './media-cache';
export { spawnRunner } from './tool-runner';
export type { ToolRunner, RunOptions, RunResult } from './tool-runner';
