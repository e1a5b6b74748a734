import { describeModelConformance } from '../../../../../testing/engine/model/model-conformance';

// Self-MM small enough to train in the suite; dropout 0 keeps the resume round trip exact.
describeModelConformance('self-mm', { aLstmHidden: 4, vLstmHidden: 4, audioOut: 4, videoOut: 4, postFusionDim: 8, postTextDim: 4, postAudioDim: 4, postVideoDim: 4, postTextDropout: 0, postAudioDropout: 0 });
