/**
 * The worker's side of StudioTrainingMethods (contract/training-methods.ts): builds the training,
 * robustness, checkpoint, feature-space and experiment services, each given what it needs, and
 * gives one handler per method for the worker's routing table.
 */
import type { DatasetOverview } from '#contract/api';
import type { StudioTrainingMethods } from '#contract/training-methods';
import { ExperimentQueue } from '../experiments/experiment-queue';
import { FeatureSpaceService } from '../feature-space/feature-space-service';
import { RobustnessService } from '../robustness/robustness-service';
import { CheckpointCatalog } from './checkpoint-catalog';
import { TrainingService } from './training-service';
import type { TrainingDeps } from './training-service';

/** The services behind StudioTrainingMethods. */
export interface TrainingServices {
  training: TrainingService;
  robustness: RobustnessService;
  catalog: CheckpointCatalog;
  projection: FeatureSpaceService;
  jobs: ExperimentQueue;
}

/** What the services need beyond training's own: the workbench's demo model and its open. */
export interface TrainingServicesDeps extends TrainingDeps {
  demoModel: string;
  openInWorkbench(params: { path: string; checkpoint: string }): Promise<DatasetOverview>;
}

/** Builds the services (one set per worker). */
export function createTrainingServices(deps: TrainingServicesDeps): TrainingServices {
  const training = new TrainingService(deps);
  const robustness = new RobustnessService(deps.engine, training);
  return {
    training,
    robustness,
    catalog: new CheckpointCatalog({ workbench: deps.workbench, openInWorkbench: deps.openInWorkbench, demoModel: deps.demoModel, training }),
    projection: new FeatureSpaceService(deps.workbench, () => deps.engine.init({})),
    jobs: new ExperimentQueue(training, robustness, deps.emit),
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
