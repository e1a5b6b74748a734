import { describe, expect, it } from 'vitest';
import { parseSubtitles, parseTimestamp, parseTranscript, parseWordJson } from './transcript';

const round = (a: Float32Array): number[] => Array.from(a, (x) => +x.toFixed(3));

describe('transcripts', () => {
  it.each([
    ['00:00:01,500', 1.5],
    ['01:02:03.250', 3723.25],
    ['02:03.5', 123.5],
    ['7.25', 7.25],
    ['1:2', 62],
    ['abc', Number.NaN],
  ])('reads the timestamp %s', (text, want) => {
    expect(parseTimestamp(text)).toEqual(want);
  });

  it('spreads each srt cue over its words and drops markup', () => {
    const t = parseTranscript('1\n00:00:00,000 --> 00:00:01,000\n<i>hello</i> there\n\n2\n00:00:02,000 --> 00:00:03,000\n{\\an8}again\n', '.srt', 'a.srt', 9);
    expect(t.words).toEqual(['hello', 'there', 'again']);
    expect(round(t.spans)).toEqual([0, 0.5, 0.5, 1, 2, 3]);
    expect(t.timing).toBe('segments');
  });

  it('reads WebVTT with a header, cue ids, notes and cue settings', () => {
    const vtt = 'WEBVTT\n\nNOTE a comment\n\nintro\n00:01.000 --> 00:02.000 align:start\nfine thanks\n';
    expect(parseSubtitles(vtt, 'a.vtt')).toEqual([{ start: 1, end: 2, text: 'fine thanks' }]);
  });

  it('spreads a plain text over the whole clip', () => {
    const t = parseTranscript('one two\nthree four', '.txt', 'a.txt', 2);
    expect(round(t.spans)).toEqual([0, 0.5, 0.5, 1, 1, 1.5, 1.5, 2]);
    expect(t.timing).toBe('uniform');
  });

  it('keeps the times of a word-timed JSON and refuses malformed ones with a code', () => {
    const t = parseWordJson('{"words":[{"word":"hi","start":0.1,"end":0.3},{"word":"you","start":0.4,"end":0.6}]}', 'a.json');
    expect(round(t.spans)).toEqual([0.1, 0.3, 0.4, 0.6]);
    for (const bad of ['[', '{"text":"hi"}', '{"words":[{"word":"","start":0,"end":1}]}', '{"words":[{"word":"a","start":2,"end":1}]}', '{"words":[{"word":"a","start":1,"end":2},{"word":"b","start":0,"end":1}]}']) {
      expect(() => parseWordJson(bad, 'a.json')).toThrow(expect.objectContaining({ code: 'EXTRACT_TRANSCRIPT' }));
    }
  });

  it('refuses cues whose end comes before their start', () => {
    expect(() => parseSubtitles('00:00:02,000 --> 00:00:01,000\nx\n', 'a.srt')).toThrow(expect.objectContaining({ code: 'EXTRACT_TRANSCRIPT' }));
  });
});
