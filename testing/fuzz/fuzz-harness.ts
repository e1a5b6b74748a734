/**
 * Runs a fuzz target's cases in child processes (see fuzz-child.ts) and collects what went
 * wrong. A child is a separate process so that a hang can be killed and named (no result for
 * a case within the time bound) and so that a crash or an out-of-memory abort fails the test
 * instead of taking the test runner down. The child's heap is capped, so an input that makes a
 * reader try a huge allocation shows up as a crash or a non-coded error.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  /** "random" mutations (default) or the "sweep" of extreme numbers over every seed's first numbers. */
  mode?: 'random' | 'sweep';
  /** Random cases to run, numbered 0..cases-1 (the sweep's size follows from the seeds). */
  cases?: number;
  /** The Rng seed (default 1111); with the case number it fixes each input. */
  seed?: number;
  /** Child processes to split the cases over (default 1: test files already run in parallel). */
  shards?: number;
  /** A case with no result after this long is a hang (default 20 s: generous, not a speed check). */
  caseTimeoutMs?: number;
}

/** What a fuzz run found. */
export interface FuzzReport {
  /** Cases the children said they would run, and cases that reported a result. */
  planned: number;
  cases: number;
  /** Reader outcomes: "ok" or the DarError code, with counts. */
  outcomes: Record<string, number>;
  /** One line per problem, naming the case and its mutation. */
  failures: string[];
}

const CHILD = fileURLToPath(new URL('./fuzz-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Heap cap of a child (MB): far above what any fixture needs, far below what a runaway allocation asks for. */
const HEAP_MB = 1024;
/** Bound on a child's start-up (node, tsx, the target's seeds) before its first case. */
const STARTUP_MS = 60_000;

interface Shard {
  target: string;
  args: string[];
  timeoutMs: number;
}

/** What one child has said so far: the case it is in, whether it started and finished. */
class ShardLog {
  current = 'before its first case (starting up)';
  started = false;
  done = false;
  private pending = '';

  constructor(
    private readonly target: string,
    private readonly report: FuzzReport,
  ) {}

  /** Takes a chunk of the child's stdout (lines may be split across chunks). */
  feed(chunk: string): void {
    const lines = (this.pending + chunk).split('\n');
    this.pending = lines.pop() ?? '';
    lines.forEach((line) => this.line(line));
  }

  fail(why: string): void {
    this.report.failures.push(`${this.target} ${this.current}: ${why}`);
  }

  private line(line: string): void {
    const [tag, index] = line.split(' ', 2);
    const { report } = this;
    if (tag === 'total') {
      report.planned += Number(index);
      this.started = true;
    } else if (tag === '>') this.current = `case ${line.slice(2)}`;
    else if (tag === '<') {
      report.cases++;
      for (const o of line.slice(3 + index.length).split(',')) report.outcomes[o] = (report.outcomes[o] ?? 0) + 1;
    } else if (tag === '!') this.fail(line.slice(2));
    else if (line === 'done') this.done = true;
  }
}

function runShard({ target, args, timeoutMs }: Shard, report: FuzzReport): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', CHILD, target, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = new ShardLog(target, report);
    let stderr = '';
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      // Starting node + tsx on a loaded machine is not a case: give it its own, longer bound.
      const bound = log.started ? timeoutMs : STARTUP_MS;
      timer = setTimeout(() => {
        log.fail(`no result after ${bound} ms (hang); killed`);
        killed = true;
        child.kill('SIGKILL');
      }, bound);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      log.feed(chunk);
      arm();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
    arm();
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (!log.done && !killed) log.fail(`the process died (exit ${code}, signal ${signal}): ${stderr.trim()}`);
      resolve();
    });
  });
}

/** Runs a target's cases over `shards` child processes and reports outcomes and failures. */
export async function runFuzz(target: string, options: FuzzOptions = {}): Promise<FuzzReport> {
  const { mode = 'random', cases = 0, seed = 1111, shards = 1, caseTimeoutMs = 20_000 } = options;
  const report: FuzzReport = { planned: 0, cases: 0, outcomes: {}, failures: [] };
  const runs = Array.from({ length: shards }, (_, k) =>
    runShard({ target, args: [mode, String(seed), String(k), String(shards), String(cases)], timeoutMs: caseTimeoutMs }, report),
  );
  await Promise.all(runs);
  return report;
}
