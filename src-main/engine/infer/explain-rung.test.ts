import { describe, expect, it } from 'vitest';
import { FasterRung } from './explain-rung';

/** A route that answers `name:args` and takes `ms` on a fake clock; `fail` makes it throw from then on. */
function route(name: string, ms: number, clock: { t: number }, log: string[]) {
  const r = {
    name,
    fail: false,
    run: async (args: number) => {
      log.push(name);
      if (r.fail) throw new Error(`${name} lost`);
      clock.t += ms;
      return `${name}:${args}`;
    },
  };
  return r;
}

describe('FasterRung (per-explain rung choice)', () => {
  it('measures every route once, answers with the fastest, and keeps it', async () => {
    const clock = { t: 0 };
    const log: string[] = [];
    const gpu = route('WebGPU (compute window)', 40, clock, log);
    const wasm = route('WebAssembly (engine thread)', 12, clock, log);
    const rung = new FasterRung([gpu, wasm], () => clock.t);
    expect(await rung.run(1)).toBe('WebAssembly (engine thread):1');
    expect(rung.choice).toEqual({ name: 'WebAssembly (engine thread)', ms: { 'WebGPU (compute window)': 40, 'WebAssembly (engine thread)': 12 } });
    expect(log).toEqual([gpu.name, gpu.name, wasm.name, wasm.name]); // a warm-up and a timed run each
    log.length = 0;
    expect(await rung.run(2)).toBe('WebAssembly (engine thread):2');
    expect(log).toEqual([wasm.name]);
  });

  it('picks the GPU when it is the faster one', async () => {
    const clock = { t: 0 };
    const rung = new FasterRung([route('gpu', 3, clock, []), route('wasm', 30, clock, [])], () => clock.t);
    expect(await rung.run(0)).toBe('gpu:0');
    expect(rung.choice?.name).toBe('gpu');
  });

  it('drops a route that fails (a lost window) and answers on the other', async () => {
    const clock = { t: 0 };
    const log: string[] = [];
    const gpu = route('gpu', 3, clock, log);
    const wasm = route('wasm', 30, clock, log);
    const rung = new FasterRung([gpu, wasm], () => clock.t);
    await rung.run(0);
    gpu.fail = true;
    expect(await rung.run(1)).toBe('wasm:1');
    expect(rung.choice?.name).toBe('wasm');
    // A route failing while the choice is made is left out of it.
    const other = new FasterRung([Object.assign(route('gpu', 1, clock, []), { fail: true }), route('wasm', 5, clock, [])], () => clock.t);
    expect(await other.run(3)).toBe('wasm:3');
    expect(other.choice?.ms.gpu).toBe(Infinity);
  });

  it('with one route just runs it, and rethrows its failure', async () => {
    const clock = { t: 0 };
    const only = route('wasm', 5, clock, []);
    const rung = new FasterRung([only], () => clock.t);
    expect(await rung.run(1)).toBe('wasm:1');
    only.fail = true;
    await expect(rung.run(2)).rejects.toThrow('wasm lost');
  });
});
