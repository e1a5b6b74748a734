import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import type { StudioApi, StudioChannel, StudioEventChannel, StudioMethod, StudioMethods } from '#contract/api';
import type { EngineEvent } from '#contract/worker-protocol';
import type { Result } from '#contract/errors';

// One named function per contract method; ipcRenderer itself is never exposed.
const invoke = <M extends StudioMethod>(method: M, params: StudioMethods[M][0]): Promise<Result<StudioMethods[M][1]>> => {
  const channel: StudioChannel = `studio:${method}`;
  return ipcRenderer.invoke(channel, params) as Promise<Result<StudioMethods[M][1]>>;
};
const EVENT_CHANNEL: StudioEventChannel = 'studio:event';

const api: StudioApi = {
  getAppInfo: (params) => invoke('getAppInfo', params),
  openDataset: (params) => invoke('openDataset', params),
  getOverview: (params) => invoke('getOverview', params),
  listClips: (params) => invoke('listClips', params),
  getClip: (params) => invoke('getClip', params),
  explain: (params) => invoke('explain', params),
  randomMask: (params) => invoke('randomMask', params),
  explainSecond: (params) => invoke('explainSecond', params),
  trainingDefaults: (params) => invoke('trainingDefaults', params),
  startTraining: (params) => invoke('startTraining', params),
  stopTraining: (params) => invoke('stopTraining', params),
  resumeTraining: (params) => invoke('resumeTraining', params),
  trainingStatus: (params) => invoke('trainingStatus', params),
  listCheckpoints: (params) => invoke('listCheckpoints', params),
  openCheckpoint: (params) => invoke('openCheckpoint', params),
  runRobustness: (params) => invoke('runRobustness', params),
  exportRobustness: (params) => invoke('exportRobustness', params),
  queueExperiments: (params) => invoke('queueExperiments', params),
  listJobs: (params) => invoke('listJobs', params),
  cancelJob: (params) => invoke('cancelJob', params),
  resumeJobs: (params) => invoke('resumeJobs', params),
  featureProjection: (params) => invoke('featureProjection', params),
  mediaStatus: (params) => invoke('mediaStatus', params),
  getWaveform: (params) => invoke('getWaveform', params),
  getFilmstrip: (params) => invoke('getFilmstrip', params),
  clipMedia: (params) => invoke('clipMedia', params),
  startExtract: (params) => invoke('startExtract', params),
  extractStatus: (params) => invoke('extractStatus', params),
  cancelExtract: (params) => invoke('cancelExtract', params),
  getAnnotation: (params) => invoke('getAnnotation', params),
  editAnnotation: (params) => invoke('editAnnotation', params),
  undoAnnotation: (params) => invoke('undoAnnotation', params),
  redoAnnotation: (params) => invoke('redoAnnotation', params),
  annotationSummary: (params) => invoke('annotationSummary', params),
  exportAnnotations: (params) => invoke('exportAnnotations', params),
  importAnnotations: (params) => invoke('importAnnotations', params),
  annotationsInfo: (params) => invoke('annotationsInfo', params),
  onEvent(listener) {
    const forward = (_event: IpcRendererEvent, event: EngineEvent): void => listener(event);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => void ipcRenderer.removeListener(EVENT_CHANNEL, forward);
  },
};

contextBridge.exposeInMainWorld('dar', api);
