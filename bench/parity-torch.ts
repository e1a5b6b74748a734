/**
 * The PyTorch side of `npm run bench`: times one training step of the independent reference
 * (scripts/reference/dar_torch.py bench) at exactly the engine bench's configuration (batch 64,
 * MOSI-unaligned full lengths, d 128, t 16, CLUB step + main step, 2 threads), so the ratio the
 * issue targets (engine within 2x of PyTorch 1.13 CPU) is measured rather than assumed.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The measured PyTorch step, or why there is none. */
export type TorchStep = { ms: number; line: string } | { ms: null; line: string };

/** Median ms/step of the PyTorch reference (>= 10 steps after 2 warm-up steps), or a one-line skip note. */
export async function measureTorchStep(steps: number, python = process.env.DAR_TORCH_PYTHON ?? '/usr/bin/python3'): Promise<TorchStep> {
  try {
    await run(python, ['-c', 'import torch, numpy'], { timeout: 60_000 });
  } catch {
    return { ms: null, line: `PyTorch: skipped (${python} has no torch + numpy; set DAR_TORCH_PYTHON)` };
  }
  const { stdout } = await run(python, ['scripts/reference/dar_torch.py', 'bench', '--steps', String(Math.max(10, steps)), '--threads', '2', '--json'], {
    maxBuffer: 1 << 20,
  });
  const r = JSON.parse(stdout) as { torch: string; threads: number; ms: number[]; median_ms: number; cpu_median_ms: number };
  const line = `PyTorch ${r.torch} CPU (${r.threads} threads), same step and shapes: ${r.median_ms.toFixed(0)} ms/step (median of ${r.ms.length}; min ${Math.min(...r.ms).toFixed(0)}, max ${Math.max(...r.ms).toFixed(0)}; CPU time ${r.cpu_median_ms.toFixed(0)} ms over all threads)`;
  return { ms: r.median_ms, line };
}
