/**
 * The worker's side of StudioTrainingMethods (contract/jobs.ts): builds the training,
 * robustness, checkpoint, feature-space and experiment services over the engine and the
 * studio, and gives one handler per method for the worker's routing table.
 */
import type { StudioTrainingMethods } from '../contract/jobs';
import { JobQueue } from './jobs-queue';
import { StudioProjection } from './studio-projection';
import { StudioRobustness } from './studio-robustness';
import { StudioTraining } from './studio-training';
import type { TrainingDeps } from './studio-training';
import { CheckpointCatalog } from './studio-training-catalog';

/** The services behind StudioTrainingMethods. */
export interface TrainingServices {
  training: StudioTraining;
  robustness: StudioRobustness;
  catalog: CheckpointCatalog;
  projection: StudioProjection;
  jobs: JobQueue;
}

/** Builds the services (one set per worker). */
export function createTrainingServices(deps: TrainingDeps): TrainingServices {
  const training = new StudioTraining(deps);
  const robustness = new StudioRobustness(deps.engine, training);
  return {
    training,
    robustness,
    catalog: new CheckpointCatalog(deps.studio, training),
    projection: new StudioProjection(deps.studio, () => deps.engine.init({})),
    jobs: new JobQueue(training, robustness, deps.emit),
  };
}

/** A handler per method; params arrive unchecked from a page and every service checks them. */
export type TrainingHandlers = { [M in keyof StudioTrainingMethods]: (params: never) => Promise<StudioTrainingMethods[M][1]> | StudioTrainingMethods[M][1] };

/** The routing entries of every StudioTrainingMethod. */
export function trainingHandlers(s: TrainingServices): TrainingHandlers {
  return {
    trainingDefaults: (p) => s.training.trainingDefaults(p),
    startTraining: (p) => s.training.startTraining(p),
    stopTraining: (p) => s.training.stopTraining(p),
    resumeTraining: (p) => s.training.resumeTraining(p),
    trainingStatus: (p) => s.training.trainingStatus(p),
    listCheckpoints: (p) => s.catalog.listCheckpoints(p),
    openCheckpoint: (p) => s.catalog.openCheckpoint(p),
    runRobustness: (p) => s.robustness.runRobustness(p),
    exportRobustness: (p) => s.robustness.exportRobustness(p),
    queueExperiments: (p) => s.jobs.queueExperiments(p),
    listJobs: (p) => s.jobs.listJobs(p),
    cancelJob: (p) => s.jobs.cancelJob(p),
    resumeJobs: (p) => s.jobs.resumeJobs(p),
    featureProjection: (p) => s.projection.featureProjection(p),
  };
}
