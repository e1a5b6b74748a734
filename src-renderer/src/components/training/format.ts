/** How the training and experiments views write durations, progress and run states. */
import type { JobState, TrainingRunState } from '#contract/training-methods';
import type { TrainProgress } from '#contract/train';

/** "45 s", "3 min 05 s", "1 h 02 min" (a dash when unknown). */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** The run's done fraction in [0, 1] from its last progress event (epochs are 0-based, steps 1-based). */
export function progressFraction(p: TrainProgress | null): number {
  if (!p || p.epochs <= 0) return 0;
  const within = p.kind === 'epoch' ? 1 : p.step / Math.max(p.steps, 1);
  return Math.min(1, Math.max(0, (p.epoch + within) / p.epochs));
}

/** "epoch 3 / 30 · step 12 / 20" (1-based, as the CLI prints). */
export function progressText(p: TrainProgress | null): string {
  if (!p) return 'starting…';
  const epoch = `epoch ${p.epoch + 1} / ${p.epochs}`;
  return p.kind === 'epoch' ? `${epoch} done` : `${epoch} · step ${p.step} / ${p.steps}`;
}

const RUN_WORDS: Record<TrainingRunState, string> = { running: 'running', stopping: 'stopping after this step', finished: 'finished', stopped: 'stopped', failed: 'failed' };
const JOB_WORDS: Record<JobState, string> = { pending: 'pending', training: 'training', evaluating: 'evaluating', done: 'done', failed: 'failed', cancelled: 'cancelled' };

/** A run state in words. */
export function runStateText(state: TrainingRunState): string {
  return RUN_WORDS[state];
}

/** A job state in words. */
export function jobStateText(state: JobState): string {
  return JOB_WORDS[state];
}

/** A checkpoint's size: "1.2 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A number as the form and tables show it: up to 4 significant digits, no float noise. */
export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return 'n/a';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}
