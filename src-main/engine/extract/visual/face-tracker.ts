/**
 * Keeps one face across frames. A clip is about one speaker, so once a face is chosen the
 * tracker follows it (the candidate nearest to where it was, within reach) and does not jump
 * to another face that happens to be bigger. When the tracked face is gone, the frame is
 * missing; only after `patience` such frames in a row (a cut, the speaker left) does it take
 * the largest face on screen as the new one.
 */

/** A face box in pixels: x, y, width, height. */
export type Box = readonly [number, number, number, number];

/** Options of `FaceTracker`. */
export interface TrackerOptions {
  /** Frames without the tracked face before another face may be taken (default 10). */
  patience?: number;
  /** How far a face may move between frames, in widths of its last box (default 0.75). */
  reach?: number;
}

function centre(b: Box): [number, number] {
  return [b[0] + b[2] / 2, b[1] + b[3] / 2];
}

function largest(boxes: readonly Box[]): number {
  let best = -1;
  for (let i = 0; i < boxes.length; i++) if (best < 0 || boxes[i][2] * boxes[i][3] > boxes[best][2] * boxes[best][3]) best = i;
  return best;
}

/** Chooses, frame by frame, which detected face is "the" face of the clip. */
export class FaceTracker {
  private last: Box | null = null;
  private lost = 0;
  private readonly patience: number;
  private readonly reach: number;

  constructor(options: TrackerOptions = {}) {
    this.patience = options.patience ?? 10;
    this.reach = options.reach ?? 0.75;
  }

  /** The index of the tracked face among this frame's boxes, or -1 (missing frame). */
  pick(boxes: readonly Box[]): number {
    const chosen = this.last ? this.nearest(boxes, this.last) : largest(boxes);
    if (chosen >= 0) {
      this.last = boxes[chosen];
      this.lost = 0;
      return chosen;
    }
    if (this.last && ++this.lost >= this.patience) {
      // Long enough gone: forget it, so the next frame takes whichever face is there.
      this.last = null;
      this.lost = 0;
    }
    return -1;
  }

  /** Forgets the tracked face (a new clip). */
  reset(): void {
    this.last = null;
    this.lost = 0;
  }

  private nearest(boxes: readonly Box[], last: Box): number {
    const [lx, ly] = centre(last);
    const limit = this.reach * Math.max(last[2], last[3]);
    let best = -1;
    let bestDist = Infinity;
    for (let i = 0; i < boxes.length; i++) {
      const [x, y] = centre(boxes[i]);
      const d = Math.hypot(x - lx, y - ly);
      if (d <= limit && d < bestDist) {
        best = i;
        bestDist = d;
      }
    }
    return best;
  }
}
