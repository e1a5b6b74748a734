/**
 * Dark/light theme: the choice lives on <html data-theme> and in localStorage; canvas code reads
 * the CSS tokens through `palette()`, and `themeSerial` tells canvases when to redraw.
 */
import { ref } from 'vue';

/** The two themes. */
export type ThemeName = 'dark' | 'light';

const KEY = 'dar-studio-theme';
const theme = ref<ThemeName>('dark');
/** Bumped when the theme changes, so canvases redraw with the new tokens. */
const themeSerial = ref(0);

function stored(): ThemeName {
  try {
    return localStorage.getItem(KEY) === 'light' ? 'light' : 'dark';
  } catch {
    return 'dark';
  }
}

/** Applies the stored theme (call once at startup). */
export function initTheme(): void {
  setTheme(stored());
}

/** Switches the theme and remembers it. */
export function setTheme(name: ThemeName): void {
  theme.value = name;
  document.documentElement.dataset.theme = name;
  try {
    localStorage.setItem(KEY, name);
  } catch {
    // Private windows may refuse storage; the theme still applies for this session.
  }
  themeSerial.value++;
}

/** Reads one CSS token (e.g. '--accent') for canvas drawing. */
export function token(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/** The theme state for components. */
export function useTheme() {
  return { theme, themeSerial, setTheme, toggle: () => setTheme(theme.value === 'dark' ? 'light' : 'dark') };
}
