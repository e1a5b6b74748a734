/**
 * Answers to a page as wire frames, encoded on the engine thread: the host's main thread then
 * only writes bytes to the socket, and an answer crosses threads as one transferred buffer, not
 * a structured clone of each of its typed arrays. Explain answers are memo frames (a mask edit's
 * answer repeats most of the previous one), with one memo per page connection.
 */
import type { StudioPreviews } from '../contract/api';
import type { Result } from '../contract/errors';
import type { ClipExplanation } from '../contract/explain';
import { encodeMessage, newWireMemo, type WireMemo } from '../contract/wire-codec';

/** Methods whose successful answers are memo frames. */
export const MEMO_METHODS: ReadonlySet<string> = new Set(['explain']);

/**
 * Methods that send a preview frame `{ id, preview }` ahead of a successful answer: explain's two
 * predictions reach the page without waiting for the features to be encoded, sent and decoded.
 */
const PREVIEWS: { [M in keyof StudioPreviews]: (value: never) => StudioPreviews[M] } = {
  explain: (value: ClipExplanation) => ({ masked: value.masked.yHat, complete: value.complete.yHat }),
};

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
    if (!result.ok || !Object.prototype.hasOwnProperty.call(PREVIEWS, method)) return null;
    const make = PREVIEWS[method as keyof StudioPreviews] as (value: unknown) => unknown;
    try {
      return encodeMessage({ id, preview: make(result.value) });
    } catch {
      return null; // the answer frame follows and says what is wrong
    }
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
