/**
 * The feature-space view's state: which projection is asked for, the answer (typed arrays,
 * kept shallow), how points are coloured, and opening a point's clip in the workbench.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { SplitName } from '#contract/dataset';
import type { FeatureProjection, FeatureSet } from '#contract/training-methods';
import { call } from '../services/bridge';
import { errorText } from '../services/errors';
import { useNavigationStore } from './navigation';

/** How points are coloured. */
export type ColourBy = 'modality' | 'label';

/** The projection's inputs the view lets people set. */
export interface ProjectionSettings {
  split: SplitName;
  method: 'pca' | 'umap';
  features: FeatureSet;
  maxClips: number;
}

/** Settings, the projection, colouring and the point-to-clip link. */
export const useFeatureSpaceStore = defineStore('feature-space', () => {
  const settings = ref<ProjectionSettings>({ split: 'test', method: 'pca', features: 'both', maxClips: 300 });
  const colourBy = ref<ColourBy>('modality');
  const projection = shallowRef<FeatureProjection | null>(null);
  const loading = ref(false);
  const error = ref<string | null>(null);
  /** The dataset and model the projection was made for (its clip indices mean nothing on another dataset). */
  const source = ref<string | null>(null);
  let serial = 0;

  /** Computes the projection for the current settings; an older answer arriving late is dropped. */
  async function load(): Promise<void> {
    const mine = ++serial;
    loading.value = true;
    error.value = null;
    try {
      const r = await call('featureProjection', { ...settings.value });
      if (mine !== serial) return;
      if (r.ok) projection.value = r.value;
      else error.value = errorText(r.error);
    } finally {
      if (mine === serial) loading.value = false;
    }
  }

  /** Projects again when the open dataset or model (`key`) is not the one the projection was made for. */
  async function ensure(key: string): Promise<void> {
    if (key === source.value && (projection.value || loading.value)) return;
    source.value = key;
    projection.value = null;
    await load();
  }

  /** Changes some settings and recomputes. */
  async function update(patch: Partial<ProjectionSettings>): Promise<void> {
    settings.value = { ...settings.value, ...patch };
    await load();
  }

  /** Opens the clip of point `i` in the workbench. */
  async function openPoint(i: number): Promise<void> {
    const p = projection.value;
    if (!p || i < 0 || i >= p.clip.length) return;
    await useNavigationStore().openClip({ split: p.split, index: p.clip[i] });
  }

  /** The id of the clip of point `i` (for tooltips). */
  function clipIdOf(i: number): string {
    const p = projection.value;
    if (!p) return '';
    const at = p.clips.indexOf(p.clip[i]);
    return at >= 0 ? p.clipIds[at] : String(p.clip[i]);
  }

  return { settings, colourBy, projection, loading, error, source, load, ensure, update, openPoint, clipIdOf };
});
