/**
 * The workbench keyboard: Space play/pause, 1/2/3 pick the language/acoustic/visual track,
 * M masks the whole picked modality, Delete removes the selected segment, Ctrl+Z undo,
 * Ctrl+Shift+Z (or Ctrl+Y) redo, +/- zoom. Keys typed into fields are left alone.
 */
import { onBeforeUnmount, onMounted } from 'vue';
import type { Modality } from '#contract/dataset';
import { usePlaybackStore } from '../stores/playback';
import { useWorkbenchStore } from '../stores/workbench';

const TRACK_KEYS: Record<string, Modality> = { '1': 'l', '2': 'a', '3': 'v' };

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) && (el as HTMLInputElement).type !== 'range');
}

/** Options of useShortcuts. */
export interface ShortcutOptions {
  /** Zooms the timeline by a factor (around the playhead). */
  zoom?: (factor: number) => void;
}

/** Installs the workbench shortcuts on the window for the component's lifetime. */
export function useShortcuts(options: ShortcutOptions = {}): void {
  const wb = useWorkbenchStore();
  const pb = usePlaybackStore();

  function onKey(e: KeyboardEvent): void {
    if (typing(e.target) || !wb.clip) return;
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    let handled = true;
    if (mod && key === 'z') (e.shiftKey ? wb.redo : wb.undo)();
    else if (mod && key === 'y') wb.redo();
    else if (mod || e.altKey) handled = false;
    else if (e.key === ' ') pb.togglePlay();
    else if (TRACK_KEYS[e.key]) wb.activeTrack = TRACK_KEYS[e.key];
    else if (key === 'm') wb.toggleWhole(wb.activeTrack);
    else if (e.key === 'Delete' || e.key === 'Backspace') wb.deleteSelected();
    else if (e.key === 'Escape') wb.select(null);
    else if ((e.key === '+' || e.key === '=') && options.zoom) options.zoom(1.5);
    else if (e.key === '-' && options.zoom) options.zoom(1 / 1.5);
    else handled = false;
    if (handled) e.preventDefault();
  }

  onMounted(() => window.addEventListener('keydown', onKey));
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey));
}
