/** A run's manifest: the extractors' stamps up front, their columns from the first clip written. */
import type { AcousticPreset } from '#contract/extract';
import { MODALITIES } from '#contract/dataset';
import { DarError } from '../errors';
import type { ClipFeatures } from './clip-extract';
import type { Extractors } from './extractor-types';
import type { ExtractionManifest } from './extraction-manifest';
import { MANIFEST_FORMAT } from './extraction-manifest';

/** A manifest with no clips yet; columns are filled in by {@link recordColumns}. */
export function newManifest(source: string, ex: Extractors, s: { fps: number; preset: AcousticPreset; modelDir?: string }): ExtractionManifest {
  return {
    format: MANIFEST_FORMAT,
    source,
    updatedAt: new Date().toISOString(),
    extractors: {
      l: { ...ex.language.stamp(s.modelDir), columns: [] },
      a: { ...ex.acoustic.stamp(s.preset), columns: [] },
      v: { ...ex.visual.stamp(s.fps), columns: [] },
    },
    clips: [],
  };
}

/** Takes each modality's column names from a clip; every clip must have the same ones. */
export function recordColumns(manifest: ExtractionManifest, f: ClipFeatures): void {
  const tracks = { l: f.text, a: f.audio, v: f.vision };
  for (const m of MODALITIES) {
    const known = manifest.extractors[m].columns;
    const got = tracks[m].columns;
    if (known.length === 0) manifest.extractors[m].columns = [...got];
    else if (known.length !== got.length || known.some((c, i) => c !== got[i])) {
      throw new DarError('DATASET_SHAPE', `${m} columns changed between clips (${known.length} vs ${got.length}): the extractor is not deterministic in its layout`);
    }
  }
}
