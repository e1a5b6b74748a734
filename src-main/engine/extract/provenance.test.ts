import { describe, expect, it } from 'vitest';
import type { Dataset } from '#contract/dataset';
import type { ExtractorStamps } from '#contract/extract';
import type { CheckpointMeta } from '../checkpoint/model-checkpoint';
import { checkDatasetMatches } from '../checkpoint/model-checkpoint';
import { checkExtractors } from './provenance';

const stamps = (fps: number): ExtractorStamps => ({
  l: { id: 'bert', version: '1', settings: { model: 'bert-base-uncased' } },
  a: { id: 'librosa-ts', version: '1', settings: { preset: 'mmsa-librosa', hop: 128 } },
  v: { id: 'face', version: '2', settings: { fps } },
});

describe('checkExtractors', () => {
  it('accepts the same extractors whatever the settings key order', () => {
    const reordered = stamps(10);
    reordered.a.settings = { hop: 128, preset: 'mmsa-librosa' };
    expect(() => checkExtractors(stamps(10), reordered)).not.toThrow();
  });

  it('refuses other settings, versions or features not extracted here, naming the modality', () => {
    expect(() => checkExtractors(stamps(10), stamps(5))).toThrow(expect.objectContaining({ code: 'EXTRACTOR_MISMATCH', message: expect.stringContaining('v: wanted face@2') }));
    expect(() => checkExtractors(stamps(10), { ...stamps(10), l: { ...stamps(10).l, version: '2' } })).toThrow(expect.objectContaining({ code: 'EXTRACTOR_MISMATCH' }));
    expect(() => checkExtractors(stamps(10), undefined)).toThrow(expect.objectContaining({ code: 'EXTRACTOR_MISMATCH' }));
  });

  it('lets a model without stamps (MMSA features) judge by shapes alone', () => {
    expect(() => checkExtractors(undefined, stamps(10))).not.toThrow();
  });
});

describe('checkDatasetMatches', () => {
  it('refuses features from other extractors before it looks at shapes', () => {
    const meta = { extractors: stamps(10), dataset: { name: 'mine' } } as unknown as CheckpointMeta;
    const ds = { info: { name: 'other', extractors: stamps(5) } } as unknown as Dataset;
    expect(() => checkDatasetMatches(meta, ds)).toThrow(expect.objectContaining({ code: 'EXTRACTOR_MISMATCH' }));
  });
});
