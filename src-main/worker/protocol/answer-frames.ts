/**
 * Answers to a page as wire frames, encoded on the engine thread: the host's main thread then
 * only writes bytes to the socket, and an answer crosses threads as one transferred buffer, not
 * a structured clone of each of its typed arrays. Explain answers are memo frames (a mask edit's
 * answer repeats most of the previous one), with one memo per page connection.
 */
import type { StudioPreviews } from '#contract/api';
import type { Result } from '#contract/errors';
import type { ClipExplanation } from '#contract/explain';
import { encodeMessage, newWireMemo, type WireMemo } from '#contract/wire-codec';

/** Methods whose successful answers are memo frames. */
export const MEMO_METHODS: ReadonlySet<string> = new Set(['explain']);

/**
 * The preview `{ id, preview }` sent ahead of a successful answer, for the methods that have one:
 * explain's two predictions reach the page without waiting for the features to be encoded, sent
 * and decoded.
 */
function previewOf(method: string, value: unknown): StudioPreviews[keyof StudioPreviews] | null {
  if (method !== 'explain') return null;
  const e = value as ClipExplanation;
  return { masked: e.masked.yHat, complete: e.complete.yHat };
}

/** The wire frames of one engine's answers, per page connection. */
export class AnswerFrames {
  private readonly memos = new Map<number, WireMemo>();

  /** The frame `{ id, result }` for connection `conn` (an answer that cannot be encoded becomes an INTERNAL error). */
  encode(conn: number, id: number, method: string, result: Result<unknown>): Uint8Array {
    const memo = MEMO_METHODS.has(method) && result.ok ? this.memoOf(conn) : undefined;
    try {
      return encodeMessage({ id, result }, memo);
    } catch (err) {
      return encodeMessage({ id, result: { ok: false, error: { code: 'INTERNAL', message: `cannot encode the answer: ${err instanceof Error ? err.message : String(err)}` } } });
    }
  }

  /** The preview frame of a successful answer to page request `id`, or null when the method has none. */
  preview(id: number, method: string, result: Result<unknown>): Uint8Array | null {
    const preview = result.ok ? previewOf(method, result.value) : null;
    return preview ? encodeMessage({ id, preview }) : null;
  }

  /** Drops the memo of a connection that closed. */
  forget(conn: number): void {
    this.memos.delete(conn);
  }

  /** Connections with a memo. */
  get connections(): number {
    return this.memos.size;
  }

  private memoOf(conn: number): WireMemo {
    let memo = this.memos.get(conn);
    if (!memo) this.memos.set(conn, (memo = newWireMemo()));
    return memo;
  }
}
