import type { ErrorCode, ErrorInfo } from '#contract/errors';

/** An error with a code from the contract; everything the engine throws on bad input is one. */
export class DarError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DarError';
  }
}

/** Turns anything thrown into contract error data; unknown errors become INTERNAL. */
export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof DarError) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message };
}

/** Formats a shape for error messages, e.g. [N,50,768]. */
export function shapeStr(shape: readonly (number | string)[]): string {
  return `[${shape.join(',')}]`;
}
