import { describe, expect, it } from 'vitest';
import type { LabelRow } from './label-table';
import { labelRows, nextSplit } from './label-table';

const clips = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `v${i}$_$0`, text: `clip ${i}` }));
const count = (rows: LabelRow[]) => ({ train: rows.filter((r) => r.mode === 'train').length, valid: rows.filter((r) => r.mode === 'valid').length, test: rows.filter((r) => r.mode === 'test').length });

describe('label table', () => {
  it('gives every split a clip as soon as there are three', () => {
    expect(count(labelRows(clips(3), new Map()))).toEqual({ train: 1, valid: 1, test: 1 });
  });

  it('then follows 70/15/15', () => {
    expect(count(labelRows(clips(100), new Map()))).toEqual({ train: 70, valid: 15, test: 15 });
    expect(nextSplit({ train: 8, valid: 2, test: 1 })).toBe('test');
  });

  it('writes new clips unlabelled (label 0, labelled 0) and keeps rows the user changed', () => {
    const kept = new Map([['v1$_$0', { videoId: 'v1', clipId: '0', text: 'edited', label: '-2', mode: 'test', labelled: '1' }]]);
    const rows = labelRows(clips(4), kept);
    expect(rows[1]).toEqual(kept.get('v1$_$0'));
    expect(rows.filter((r) => r.labelled === '0').every((r) => r.label === '0')).toBe(true);
    expect(rows.map((r) => r.videoId)).toEqual(['v0', 'v1', 'v2', 'v3']);
  });

  it('places the same clips the same way every time', () => {
    expect(labelRows(clips(20), new Map())).toEqual(labelRows(clips(20), new Map()));
  });
});
