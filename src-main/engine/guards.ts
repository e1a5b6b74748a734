/** Type guards shared by the engine's file readers (every value read from a file is unknown until checked). */

/** True for a plain object (not null, not an array): a JSON object or a parsed header. */
export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
