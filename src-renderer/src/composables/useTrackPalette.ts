/** The track palette from the theme tokens, re-read when the theme changes. */
import { computed } from 'vue';
import type { TrackPalette } from '../timeline/draw-track';
import { token, useTheme } from './useTheme';

/** A computed TrackPalette that follows the theme. */
export function useTrackPalette() {
  const { themeSerial } = useTheme();
  return computed<TrackPalette>(() => {
    void themeSerial.value;
    return {
      bg: token('--track-bg'),
      wave: token('--track-wave'),
      token: token('--track-token'),
      tokenText: token('--track-token-text'),
      mask: token('--mask'),
      text: token('--text'),
      textDim: token('--text-dim'),
      accent: token('--accent'),
      border: token('--border'),
    };
  });
}
