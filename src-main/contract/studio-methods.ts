/**
 * The studio's method names at run time, shared by the shells (which accept exactly these from a
 * page), the worker (which routes them) and the renderer's bridge (which wraps each one). Like
 * wire-codec.ts, a runtime file in contract/: the list is part of the contract and must not be
 * kept twice. Pure, no imports but types.
 */
import type { StudioMethod } from './api';

// A record, so the compiler insists on every method of the contract and nothing else.
const TABLE: Record<StudioMethod, true> = {
  getAppInfo: true,
  openDataset: true,
  getOverview: true,
  listClips: true,
  getClip: true,
  explain: true,
  randomMask: true,
  explainSecond: true,
  trainingDefaults: true,
  startTraining: true,
  stopTraining: true,
  resumeTraining: true,
  trainingStatus: true,
  listCheckpoints: true,
  openCheckpoint: true,
  runRobustness: true,
  exportRobustness: true,
  queueExperiments: true,
  listJobs: true,
  cancelJob: true,
  resumeJobs: true,
  featureProjection: true,
  mediaStatus: true,
  getWaveform: true,
  getFilmstrip: true,
  clipMedia: true,
  startExtract: true,
  extractStatus: true,
  cancelExtract: true,
  getAnnotation: true,
  editAnnotation: true,
  undoAnnotation: true,
  redoAnnotation: true,
  annotationSummary: true,
  exportAnnotations: true,
  importAnnotations: true,
  annotationsInfo: true,
};

/** Every StudioMethod name. */
export const STUDIO_METHODS = Object.freeze(Object.keys(TABLE) as StudioMethod[]);

/** True for a name a page may call. */
export function isStudioMethod(name: unknown): name is StudioMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(TABLE, name);
}
