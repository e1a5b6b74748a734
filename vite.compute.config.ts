import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import type { UserConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * The compute page's build (src-compute/, the desktop's hidden compute window): a plain web page
 * bundle of the engine's models and tfjs (WebGPU, WASM with its three binaries as assets), built
 * to out/compute beside out/renderer. `npm run build` runs it after electron-vite; the compute
 * tests and the wasm-threads bench build it with vite's build() into a folder of their own.
 */
export function computeConfig(outDir = resolve(root, 'out/compute')): UserConfig {
  return {
    root: resolve(root, 'src-compute'),
    base: './',
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      // The .wasm binaries stay files (never inlined as data: URLs the CSP would refuse).
      assetsInlineLimit: 0,
      chunkSizeWarningLimit: 8192,
      rollupOptions: { input: { index: resolve(root, 'src-compute/index.html') } },
    },
  };
}

export default defineConfig(computeConfig());
