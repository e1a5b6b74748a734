import { describe, it, expect } from 'vitest';
import { createRng } from '../../src-main/engine/rng';
import { makeTranscript, polarPhrases, polarityOf } from './demo-transcript';
import type { Polarity } from './demo-transcript';

const says = (words: string[], phrase: string): boolean => ` ${words.join(' ')} `.includes(` ${phrase} `);
const saysAny = (words: string[], p: Polarity): boolean => polarPhrases(p).some((x) => says(words, x));

describe('makeTranscript', () => {
  it('classes scores by sign and size', () => {
    expect([-2.5, -1, 0, 1, 2.5].map(polarityOf)).toEqual(['strongNeg', 'neg', 'neutral', 'pos', 'strongPos']);
  });

  it('words follow the score: its own class always, the opposite strong class never', () => {
    const rng = createRng(3, 1);
    for (let i = 0; i < 200; i++) {
      const score = 6 * rng.next() - 3;
      const words = makeTranscript(rng, score, 3 + rng.int(18));
      const p = polarityOf(score);
      expect(saysAny(words, p), words.join(' ')).toBe(true);
      if (p === 'strongPos' || p === 'pos') expect(saysAny(words, 'strongNeg'), words.join(' ')).toBe(false);
      if (p === 'strongNeg' || p === 'neg') expect(saysAny(words, 'strongPos'), words.join(' ')).toBe(false);
    }
  });

  it('reaches the asked length, overshooting only by a first clause, never repeating a filler twice in a row', () => {
    const rng = createRng(4, 1);
    for (let n = 3; n <= 20; n++) {
      for (let k = 0; k < 10; k++) {
        const words = makeTranscript(rng, 4 * rng.next() - 2, n);
        expect(words.length).toBeGreaterThanOrEqual(n);
        // The longest clause: "i do not know what to think of the main character".
        expect(words.length).toBeLessThanOrEqual(Math.max(n, 11));
        for (const [i, w] of words.entries()) expect(w === words[i - 1] && ['um', 'uh', 'well', 'so', 'like'].includes(w)).toBe(false);
        expect(words.every((w) => /^[a-z]+$/.test(w))).toBe(true);
      }
    }
  });

  it('is deterministic for a given stream', () => {
    expect(makeTranscript(createRng(9), 1.2, 12)).toEqual(makeTranscript(createRng(9), 1.2, 12));
  });
});
