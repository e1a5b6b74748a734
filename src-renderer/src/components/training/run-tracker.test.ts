import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrainProgress } from '#contract/train';
import { epochRecord, fakeRun, terms } from '../../../../testing/renderer/fake-training';
import { RunTracker, type LiveSnapshot } from './run-tracker';

const step = (epoch: number, s: number): TrainProgress => ({ kind: 'step', epoch, epochs: 10, step: s, steps: 4, terms: terms(s), elapsedMs: 1, etaMs: 9 });

describe('following a run from its progress events', () => {
  let clock = 0;
  let flushes: LiveSnapshot[] = [];
  let tracker: RunTracker;

  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
    flushes = [];
    tracker = new RunTracker((s) => flushes.push(s), 250, () => clock);
  });
  afterEach(() => {
    tracker.dispose();
    vi.useRealTimers();
  });

  function advance(ms: number): void {
    clock += ms;
    vi.advanceTimersByTime(ms);
  }

  it('shows a restored run at once, with its history and step curves', () => {
    tracker.reset(fakeRun('stopped', 3));
    expect(flushes).toHaveLength(1);
    expect(flushes[0].curves.history).toHaveLength(3);
    expect(flushes[0].curves.steps.x.length).toBe(6);
    expect(flushes[0].curves.selectedEpoch).toBe(2);
  });

  it('hands out at most one snapshot per interval however fast steps arrive', () => {
    tracker.reset(null);
    for (let i = 1; i <= 40; i++) {
      tracker.push(step(Math.floor(i / 4), (i % 4) + 1));
      advance(10);
    }
    // 400 ms of events at 100 per second: the initial flush plus at most two throttled ones.
    expect(flushes.length).toBeLessThanOrEqual(3);
    advance(250);
    const last = flushes.at(-1)!;
    expect(last.curves.steps.x.length).toBeGreaterThan(30);
    expect(last.progress?.kind).toBe('step');
  });

  it('ignores steps it already holds (events that raced the status snapshot)', () => {
    tracker.reset(fakeRun('running', 1));
    tracker.push(step(0, 2));
    tracker.push(step(1, 1));
    advance(300);
    expect(Array.from(flushes.at(-1)!.curves.steps.x)).toEqual([0.5, 1, 1.25]);
  });

  it('takes an epoch record once and moves the selected epoch only when it is the best', () => {
    tracker.reset(null);
    const epoch = (r: ReturnType<typeof epochRecord>): TrainProgress => ({ kind: 'epoch', epoch: r.epoch, epochs: 10, step: 4, steps: 4, record: r, elapsedMs: 1, etaMs: 1 });
    tracker.push(epoch(epochRecord(0, 2, true)));
    tracker.push(epoch(epochRecord(0, 2, true)));
    tracker.push(epoch(epochRecord(1, 3, false)));
    advance(300);
    const c = flushes.at(-1)!.curves;
    expect(c.history.map((r) => r.epoch)).toEqual([0, 1]);
    expect(c.selectedEpoch).toBe(0);
    expect(c.epochs).toBe(10);
  });
});
