import { describe, expect, it } from 'vitest';
import { createFrameQueue } from './frame-queue';

/** A fake requestAnimationFrame: callbacks asked during a frame run in the next one. */
function frames(): { request: (cb: () => void) => void; tick(): number } {
  let waiting: (() => void)[] = [];
  return {
    request: (cb) => void waiting.push(cb),
    tick() {
      const now = waiting;
      waiting = [];
      for (const cb of now) cb();
      return now.length;
    },
  };
}

describe('the staggered charts frame queue', () => {
  it('runs one job per frame and keeps the frame after a deferred render free', () => {
    const f = frames();
    const q = createFrameQueue(f.request);
    const ran: string[] = [];
    q.add(() => (ran.push('a'), true));
    q.add(() => (ran.push('b'), false));
    q.add(() => (ran.push('c'), false));
    const perFrame: string[][] = [];
    for (let i = 0; i < 5; i++) {
      const before = ran.length;
      f.tick();
      perFrame.push(ran.slice(before));
    }
    expect(perFrame).toEqual([['a'], [], ['b'], ['c'], []]);
  });

  it('asks one frame at a time even when jobs queue more jobs while they run (mount -> draw -> resize)', () => {
    const f = frames();
    const q = createFrameQueue(f.request);
    const ran: number[] = [];
    // each of 6 charts: create queues its draw, which queues a resize
    for (let c = 0; c < 6; c++) {
      const resize = (): boolean => (ran.push(c), false);
      const draw = (): boolean => (q.add(resize), true);
      q.add(() => (q.add(draw), false));
    }
    const callbacks: number[] = [];
    const jobsPerFrame: number[] = [];
    for (let i = 0; i < 60 && (i === 0 || callbacks[callbacks.length - 1] > 0); i++) {
      const before = ran.length;
      callbacks.push(f.tick());
      jobsPerFrame.push(ran.length - before);
    }
    expect(Math.max(...callbacks)).toBe(1);
    expect(Math.max(...jobsPerFrame)).toBe(1);
    expect(ran).toHaveLength(6);
  });

  it('drops a deleted job and stops asking for frames when empty', () => {
    const f = frames();
    const q = createFrameQueue(f.request);
    const ran: string[] = [];
    const b = (): boolean => (ran.push('b'), false);
    q.add(() => (ran.push('a'), false));
    q.add(b);
    q.delete(b);
    expect(f.tick()).toBe(1);
    expect(f.tick()).toBe(0);
    expect(ran).toEqual(['a']);
  });
});
