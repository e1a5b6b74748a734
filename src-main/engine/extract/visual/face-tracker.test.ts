import { describe, expect, it } from 'vitest';
import { FaceTracker, type Box } from './face-tracker';

const left: Box = [20, 80, 150, 150];
const right: Box = [400, 60, 220, 220];

describe('FaceTracker', () => {
  it('takes the largest face when it tracks none', () => {
    expect(new FaceTracker().pick([left, right])).toBe(1);
  });

  it('keeps the face it tracks when a bigger one appears', () => {
    const tracker = new FaceTracker();
    expect(tracker.pick([left])).toBe(0);
    expect(tracker.pick([right, [30, 85, 150, 150]])).toBe(1);
    expect(tracker.pick([[40, 90, 150, 150], right])).toBe(0);
  });

  it('reports a missing frame rather than jumping to another face', () => {
    const tracker = new FaceTracker({ patience: 3 });
    tracker.pick([left]);
    expect(tracker.pick([right])).toBe(-1);
    expect(tracker.pick([right])).toBe(-1);
    // Gone for `patience` frames: the next frame takes the face that is there.
    expect(tracker.pick([right])).toBe(-1);
    expect(tracker.pick([right])).toBe(0);
  });

  it('picks up the tracked face again when it returns within patience', () => {
    const tracker = new FaceTracker({ patience: 5 });
    tracker.pick([left]);
    expect(tracker.pick([])).toBe(-1);
    expect(tracker.pick([right, left])).toBe(1);
  });

  it('forgets the face on reset', () => {
    const tracker = new FaceTracker();
    tracker.pick([left]);
    tracker.reset();
    expect(tracker.pick([left, right])).toBe(1);
  });
});
