/** What tests of coded errors share: the DarError a call throws. */
import { DarError } from '../../src-main/engine/errors';

/** The DarError `fn` throws; any other error is rethrown, and no error at all fails the test. */
export function failure(fn: () => unknown): DarError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DarError) return err;
    throw err;
  }
  throw new Error('no error thrown');
}
