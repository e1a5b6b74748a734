/**
 * Where the studio keeps its runs: the studio home (DAR_STUDIO_HOME, else the shell's user-data
 * folder, else ~/.dar-studio), `runs/<dataset>/<timestamp>-<preset>.safetensors` inside it,
 * and the JSON files that sit beside each checkpoint.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { EngineWorkerData } from '#contract/worker-protocol';

/** Environment variable naming the studio home (tests point it at a temp folder). */
export const STUDIO_HOME_ENV = 'DAR_STUDIO_HOME';

/** The studio home folder. */
export function studioHome(shell: Pick<EngineWorkerData, 'studioHome'>, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[STUDIO_HOME_ENV]?.trim();
  return resolve(fromEnv || shell.studioHome || join(homedir(), '.dar-studio'));
}

/** The runs folder of a studio home. */
export function runsRoot(home: string): string {
  return join(home, 'runs');
}

/** A dataset name as a folder name: letters, digits, '.', '_' and '-' only, never empty or dotted. */
export function folderName(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._-]+|[._-]+$/g, '').slice(0, 80);
  return clean || 'dataset';
}

/** A file-name-safe local timestamp, e.g. 2024-06-07T14-03-09. */
export function fileTimestamp(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}T${p(date.getHours())}-${p(date.getMinutes())}-${p(date.getSeconds())}`;
}

/** A new checkpoint path `<root>/<dataset>/<timestamp>-<tag>.safetensors` that does not exist yet. */
export function newRunPath(root: string, datasetName: string, tag: string, date = new Date()): string {
  const dir = join(root, folderName(datasetName));
  const base = `${fileTimestamp(date)}-${folderName(tag)}`;
  for (let i = 1; ; i++) {
    const file = join(dir, `${base}${i === 1 ? '' : `-${i}`}.safetensors`);
    if (!existsSync(file) && !existsSync(besideCheckpoint(file, 'run'))) return file;
  }
}

/** The file `<name>.<kind>.json` beside checkpoint `<name>.safetensors`. */
export function besideCheckpoint(checkpoint: string, kind: 'run' | 'robustness'): string {
  return `${checkpoint.replace(/\.safetensors$/, '')}.${kind}.json`;
}

/**
 * Where the sweep of a checkpoint in a read-only folder (the demo model of an installed app) is
 * kept instead: `<home>/robustness/<name>-<hash of its path>.robustness.json`.
 */
export function homeRobustnessFile(home: string, checkpoint: string): string {
  const key = createHash('sha256').update(resolve(checkpoint)).digest('hex').slice(0, 16);
  return join(home, 'robustness', `${folderName(basename(checkpoint).replace(/\.safetensors$/, ''))}-${key}.robustness.json`);
}

/** The job queue's file. */
export function jobsFile(home: string): string {
  return join(runsRoot(home), 'jobs.json');
}
