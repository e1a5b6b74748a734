import { describeModelConformance } from '../../../../../testing/engine/model/model-conformance';

// MISA small enough to train in the suite; dropout 0 keeps the resume round trip exact.
describeModelConformance('misa', { hidden: 8, ffDim: 16, dropout: 0, transformerDropout: 0 });
