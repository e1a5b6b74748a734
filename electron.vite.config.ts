import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'electron-vite';
import type { UserConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The renderer's build, the one place it is configured: electron-vite uses it for the Electron
 * shell, and the browser host (src-main/host/renderer-build.ts) builds the same into the same
 * out/renderer with vite's build() before `dar serve` listens. Relative asset URLs (base './')
 * work both from file:// and from the host's root.
 */
export const rendererConfig: UserConfig = {
  root: resolve(root, 'src-renderer'),
  base: './',
  plugins: [vue()],
  build: {
    outDir: resolve(root, 'out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: { index: resolve(root, 'src-renderer/index.html') } },
  },
};

// Three builds, one per process: main (src-main/app, plus the engine worker as its own entry,
// started by main in a worker thread), preload (src-main/preload: the studio page's and the
// compute window's) and the renderer (src-renderer). Paths make the process of each file visible
// (conventions.md). The compute window's page is a fourth build of its own (vite.compute.config.ts).
export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        input: {
          index: resolve(root, 'src-main/app/index.ts'),
          'engine-worker': resolve(root, 'src-main/worker/protocol/engine-worker.ts'),
          'extract-thread': resolve(root, 'src-main/worker/extract/extract-thread.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads must be CommonJS.
      rollupOptions: {
        input: { index: resolve(root, 'src-main/preload/index.ts'), compute: resolve(root, 'src-main/preload/compute.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: rendererConfig,
});
