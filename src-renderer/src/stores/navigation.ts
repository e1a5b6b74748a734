/**
 * Which view of the studio is shown. Views keep their state in their own stores, so switching
 * never stops a training run or a sweep; other views open a clip in the workbench through here.
 */
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { ClipRef } from '#contract/api';
import { useWorkbenchStore } from './workbench';

/** The studio's views, in tab order. */
export const VIEWS = [
  { id: 'workbench', title: 'Workbench', hint: 'Mask a clip and watch the model respond' },
  { id: 'training', title: 'Training', hint: 'Train DAR on the open dataset' },
  { id: 'robustness', title: 'Robustness', hint: 'Evaluate models over missing rates, as the paper does' },
  { id: 'experiments', title: 'Experiments', hint: 'Queue the paper\u2019s ablations and k sweep' },
  { id: 'features', title: 'Feature space', hint: 'See common and specific features decouple' },
] as const;

/** A view id. */
export type ViewId = (typeof VIEWS)[number]['id'];

/** The shown view and the way to open a clip from anywhere. */
export const useNavigationStore = defineStore('navigation', () => {
  const view = ref<ViewId>('workbench');

  /** Shows a view. */
  function go(id: ViewId): void {
    view.value = id;
  }

  /** Shows the workbench on a clip (a point of the feature space, a row of a table). */
  async function openClip(ref_: ClipRef): Promise<void> {
    view.value = 'workbench';
    await useWorkbenchStore().openClip(ref_);
  }

  return { view, go, openClip };
});
