import { describeModelConformance } from '../../../testing/engine/model/model-conformance';

// DAR at the tiny width the other engine tests use (dropout 0 keeps the round trips exact).
describeModelConformance('dar', { d: 8, t: 4, heads: 2, dropout: 0 });
