/**
 * The studio's method names at run time (the contract is types only): the shells accept exactly
 * these from a page, and the worker routes them to the StudioService.
 */
import type { StudioMethod } from '../contract/api';

// A record, so the compiler insists on every method of the contract and nothing else.
const TABLE: Record<StudioMethod, true> = {
  getAppInfo: true,
  openDataset: true,
  getOverview: true,
  listClips: true,
  getClip: true,
  explain: true,
  randomMask: true,
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
};

/** Every StudioMethod name. */
export const STUDIO_METHODS = Object.freeze(Object.keys(TABLE) as StudioMethod[]);

/** True for a name a page may call. */
export function isStudioMethod(name: unknown): name is StudioMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(TABLE, name);
}
