import { describeModelConformance } from '../../../../../testing/engine/model/model-conformance';

// Small enough to train twice on the tiny dataset; the depths stay the public config's.
describeModelConformance('lnln', { d: 8, heads: 2, dimHead: 4, tokenLen: 2, mlpDim: 8, discHidden: 4 });
