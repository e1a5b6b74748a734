/**
 * The fuzz child process: runs its share of one target's cases and reports each on stdout, so
 * the parent can name the case that hangs or kills the process.
 *   "total n"                  cases this child will run
 *   "> i <seed>: <mutation>"   case i starts
 *   "< i <outcome>,..."        case i ended: per reader "ok" or the DarError code
 *   "! i <reader> <problem>"   a reader threw something other than an allowed DarError
 *   "done"                     all cases ran
 * Modes: "random" runs cases 0..limit-1 (mutations drawn from createRng(seed, stream, i));
 * "sweep" writes extreme numbers into every seed's first numbers (see sweepCase). Shard k of K
 * takes the cases i with i % K === k.
 * Usage: node --import tsx fuzz-child.ts <target> <random|sweep> <seed> <shard> <shards> <limit>
 */
import { DarError } from '../../src-main/engine/errors';
import { createRng } from '../../src-main/engine/rng';
import type { Mutant } from './mutate';
import { mutate, sweepCase, sweepCount } from './mutate';
import type { FuzzTarget, Reader, Seed } from './fuzz-targets';
import { TARGETS } from './fuzz-targets';

/** How many numbers per seed the sweep rewrites. */
export const SWEEP_NUMBERS_PER_SEED = 8;

const say = (line: string): void => void process.stdout.write(`${line}\n`);
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').slice(0, 500);

/** "ok", an allowed code, or a problem (anything else the reader threw). */
async function outcome(reader: Reader, bytes: Uint8Array, seed: Seed, target: FuzzTarget): Promise<{ result: string; problem?: string }> {
  try {
    await reader.read(bytes, seed);
    return { result: 'ok' };
  } catch (err) {
    if (err instanceof DarError && target.codes.includes(err.code)) return { result: err.code };
    if (err instanceof DarError) return { result: 'BAD', problem: `code ${err.code} not expected here: ${err.message}` };
    const e = err instanceof Error ? err : new Error(String(err));
    return { result: 'BAD', problem: `${e.name}: ${e.message} at ${e.stack?.split('\n')[1]?.trim() ?? '?'}` };
  }
}

/** Case i of a mode: the seed it starts from and the mutant. */
function makeCase(mode: string, target: FuzzTarget, seeds: readonly Seed[], seed: number, i: number): [Seed, Mutant] {
  if (mode === 'random') {
    // One stream per case: any case can be rebuilt alone from (seed, target, i).
    const rng = createRng(seed, target.stream, i);
    const base = seeds[i % seeds.length];
    return [base, mutate(rng, base.bytes, seeds[rng.int(seeds.length)].bytes)];
  }
  let k = i;
  for (const base of seeds) {
    const n = sweepCount(base.bytes, SWEEP_NUMBERS_PER_SEED);
    if (k < n) return [base, sweepCase(base.bytes, SWEEP_NUMBERS_PER_SEED, k)];
    k -= n;
  }
  throw new Error(`sweep case ${i} out of range`);
}

async function main(): Promise<void> {
  const [name, mode, seedArg, shardArg, shardsArg, limitArg] = process.argv.slice(2);
  const target = TARGETS[name];
  if (!target) throw new Error(`unknown fuzz target '${name}' (known: ${Object.keys(TARGETS).join(', ')})`);
  const prepared = await target.prepare();
  const { seeds, readers } = prepared;
  const [seed, shard, shards] = [Number(seedArg), Number(shardArg), Number(shardsArg)];
  const total = mode === 'sweep' ? seeds.reduce((n, s) => n + sweepCount(s.bytes, SWEEP_NUMBERS_PER_SEED), 0) : Number(limitArg);
  const mine = Array.from({ length: total }, (_, i) => i).filter((i) => i % shards === shard);
  say(`total ${mine.length}`);
  try {
    for (const i of mine) {
      const [base, m] = makeCase(mode, target, seeds, seed, i);
      say(`> ${i} ${base.name}: ${oneLine(m.how)}`);
      const results: string[] = [];
      for (const reader of readers) {
        const o = await outcome(reader, m.bytes, base, target);
        results.push(o.result);
        if (o.problem) say(`! ${i} ${reader.name} ${oneLine(o.problem)}`);
      }
      say(`< ${i} ${results.join(',')}`);
    }
  } finally {
    await prepared.cleanup?.();
  }
  say('done');
}

main().catch((err: unknown) => {
  process.stderr.write(`fuzz child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(3);
});
