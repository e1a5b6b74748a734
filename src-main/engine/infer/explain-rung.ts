/**
 * Per-explain rung choice: a single-clip explain goes to whichever rung answers it faster. A GPU
 * pays a dispatch per kernel and a transfer per answer, so at batch 1 it may lose to WASM; we
 * measure rather than guess. The first explain runs on every route (one warm-up, which pays
 * shader compiles and first uploads, then one timed run each) and the fastest is kept for every
 * later one. A route that fails (a lost compute window) is dropped and the choice made again.
 */

/** One way to answer an explain. */
export interface ExplainRoute<A, T> {
  /** Shown in the backend info, e.g. "WebAssembly (engine thread)". */
  name: string;
  run(args: A): Promise<T>;
}

/** What was measured and chosen. */
export interface RungChoice {
  name: string;
  /** Timed ms per route (Infinity: it failed). */
  ms: Record<string, number>;
}

/** Routes explains to the rung measured fastest, measuring once. */
export class FasterRung<A, T> {
  private chosen: RungChoice | null = null;
  private routes: ExplainRoute<A, T>[];

  constructor(routes: ExplainRoute<A, T>[], private readonly now: () => number = () => performance.now()) {
    if (routes.length === 0) throw new Error('FasterRung needs at least one route');
    this.routes = [...routes];
  }

  /** The choice once made (null before the first explain). */
  get choice(): RungChoice | null {
    return this.chosen;
  }

  /** Explains on the chosen route, choosing first if no choice stands. */
  async run(args: A): Promise<T> {
    if (!this.chosen) return this.choose(args);
    const route = this.routes.find((r) => r.name === this.chosen!.name)!;
    try {
      return await route.run(args);
    } catch (err) {
      if (this.routes.length === 1) throw err;
      this.drop(route.name);
      return this.run(args);
    }
  }

  /** Forgets a route (its rung is gone) and the choice that named it. */
  drop(name: string): void {
    if (this.routes.length > 1) this.routes = this.routes.filter((r) => r.name !== name);
    if (this.chosen?.name === name) this.chosen = null;
  }

  private async choose(args: A): Promise<T> {
    if (this.routes.length === 1) {
      this.chosen = { name: this.routes[0].name, ms: {} };
      return this.routes[0].run(args);
    }
    const ms: Record<string, number> = {};
    const results = new Map<string, T>();
    let lastError: unknown = null;
    for (const route of this.routes) {
      try {
        await route.run(args);
        const t0 = this.now();
        results.set(route.name, await route.run(args));
        ms[route.name] = this.now() - t0;
      } catch (err) {
        ms[route.name] = Infinity;
        lastError = err;
      }
    }
    const best = this.routes.filter((r) => results.has(r.name)).sort((a, b) => ms[a.name] - ms[b.name])[0];
    if (!best) throw lastError;
    this.routes = this.routes.filter((r) => results.has(r.name));
    this.chosen = { name: best.name, ms };
    return results.get(best.name)!;
  }
}
