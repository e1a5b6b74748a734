import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Electron version package-lock.json pins: the one the app is built with, read from the lock
 * because npm installs the electron package only on the desktop Node (./package.json).
 */
export function lockedElectronVersion(root: string): string {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const version = lock.packages['node_modules/electron']?.version;
  if (!version) throw new Error('package-lock.json pins no electron (scripts/desktop-toolchain/package.json lists it)');
  return version;
}
