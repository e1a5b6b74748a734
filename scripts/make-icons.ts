/**
 * Draws the app icon and writes every file the installers use, from code (no image tools):
 *   build/icon.png            1024x1024, the source electron-builder falls back to
 *   build/icon.icns           macOS (PNG entries 16..1024, retina included)
 *   build/icon.ico            Windows: app, NSIS installer and uninstaller (16..256)
 *   build/icons/<N>x<N>.png   Linux: AppImage and deb (16..1024)
 * Run: npx tsx scripts/make-icons.ts   (the outputs are committed; rerun after changing the mark)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drawMark } from './icons/draw-mark';
import { encodeIcns, encodeIco } from './icons/icon-containers';
import { encodePng } from './icons/png';

const BUILD = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../build');
const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

const cache = new Map<number, Buffer>();
/** The PNG of the mark at one size (each size drawn once). */
function pngOf(size: number): Buffer {
  let png = cache.get(size);
  if (!png) cache.set(size, (png = encodePng(size, size, drawMark(size))));
  return png;
}

function write(relative: string, bytes: Buffer): void {
  const file = path.join(BUILD, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  console.log(`${path.relative(process.cwd(), file)}  ${bytes.length} bytes`);
}

write('icon.png', pngOf(1024));
for (const size of LINUX_SIZES) write(`icons/${size}x${size}.png`, pngOf(size));
write('icon.ico', encodeIco(ICO_SIZES.map((size) => ({ size, png: pngOf(size) }))));
write('icon.icns', encodeIcns(pngOf));
