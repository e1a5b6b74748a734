/**
 * The sentiment scale [-3, 3] and its seven Acc-7 classes (round(clip(y, -3, 3)), as the
 * metrics derive them), with one colour per class for chips and the scale.
 */

/** Lowest and highest sentiment. */
export const SENTIMENT_MIN = -3;
export const SENTIMENT_MAX = 3;

/** The Acc-7 class names, from -3 to 3. */
export const CLASS_NAMES = [
  'strongly negative',
  'negative',
  'weakly negative',
  'neutral',
  'weakly positive',
  'positive',
  'strongly positive',
] as const;

/** One colour per class (readable on dark and light backgrounds). */
export const CLASS_COLOURS = ['#d9485f', '#e8775a', '#e6a75c', '#9aa3b2', '#7cc68b', '#3fb58f', '#1f9e89'] as const;

/** The Acc-7 class index (0..6) of a value. */
export function classIndex(value: number): number {
  const clipped = Math.min(SENTIMENT_MAX, Math.max(SENTIMENT_MIN, value));
  // Math.round rounds .5 up, numpy rounds half to even; the scale only needs a consistent bin.
  return Math.round(clipped) - SENTIMENT_MIN;
}

/** The class name of a value. */
export function className(value: number): string {
  return CLASS_NAMES[classIndex(value)];
}

/** The class colour of a value. */
export function classColour(value: number): string {
  return CLASS_COLOURS[classIndex(value)];
}

/** Where a value sits on the scale, 0 (at -3) to 1 (at 3), clipped. */
export function scaleFraction(value: number): number {
  const clipped = Math.min(SENTIMENT_MAX, Math.max(SENTIMENT_MIN, value));
  return (clipped - SENTIMENT_MIN) / (SENTIMENT_MAX - SENTIMENT_MIN);
}

/** A sentiment number as the studio prints it ("0.412", "-1.250"). */
export function formatSentiment(value: number): string {
  const s = value.toFixed(3);
  return s === '-0.000' ? '0.000' : s;
}
