import { describe, expect, it } from 'vitest';
import { clipOfMediaPath, parseByteRange } from './media-range';

describe('byte ranges of media files', () => {
  it.each([
    ['bytes=0-99', { kind: 'range', start: 0, end: 99 }],
    ['bytes=100-', { kind: 'range', start: 100, end: 999 }],
    ['bytes=-10', { kind: 'range', start: 990, end: 999 }],
    ['bytes=-5000', { kind: 'range', start: 0, end: 999 }],
    ['bytes=900-5000', { kind: 'range', start: 900, end: 999 }],
    ['BYTES = 5-5', { kind: 'range', start: 5, end: 5 }],
  ])('reads %s of a 1000-byte file', (header, expected) => {
    expect(parseByteRange(header, 1000)).toEqual(expected);
  });

  it.each(['bytes=1000-', 'bytes=5-4', 'bytes=-0', 'bytes=-', 'bytes=abc', 'bytes=1-2-3'])('refuses %s as unsatisfiable or malformed', (header) => {
    expect(parseByteRange(header, 1000)).toEqual({ kind: 'bad' });
  });

  it('serves the whole file without a Range, for other units and for multi-range requests', () => {
    expect(parseByteRange(undefined, 1000)).toEqual({ kind: 'all' });
    expect(parseByteRange('items=0-5', 1000)).toEqual({ kind: 'all' });
    expect(parseByteRange('bytes=0-5,10-20', 1000)).toEqual({ kind: 'all' });
  });
});

describe('media paths', () => {
  it('names a clip only for exactly /<split>/<index>', () => {
    expect(clipOfMediaPath('/train/0')).toEqual({ split: 'train', index: 0 });
    expect(clipOfMediaPath('/test/123')).toEqual({ split: 'test', index: 123 });
    for (const bad of ['/train/01', '/train/-1', '/train/1.5', '/train/1/', '/../etc/passwd', '/train/%2e%2e', '//train/1', '/other/1', '/train/1234567890', '/train/1?x']) {
      expect(clipOfMediaPath(bad), bad).toBeNull();
    }
  });
});
