import { describe, expect, it } from 'vitest';
import { errorText } from './errors';

describe('error words', () => {
  it('puts the kind of failure before the engine detail', () => {
    expect(errorText({ code: 'CHECKPOINT_MISMATCH', message: 'd: expected 64, got 128' })).toBe('The model does not match this dataset: d: expected 64, got 128');
  });

  it('says the connection dropped in plain words', () => {
    expect(errorText({ code: 'CONNECTION_LOST', message: '' })).toBe('Lost the connection to the studio host');
  });
});
