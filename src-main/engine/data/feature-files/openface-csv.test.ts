import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isOpenFaceHeader, parseOpenFaceCsv, readOpenFaceCsv } from './openface-csv';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../../testing/engine/data/features');
const { csv } = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as {
  csv: { openface: { columns: string[]; values: number[][]; missing: number[]; spans: number[][]; nonfinite: number } };
};
const HEADER = 'frame, face_id, timestamp, confidence, success, gaze_0_x, AU01_r';

describe('readOpenFaceCsv', () => {
  it('keeps face 0, zeroes success=0 frames and flags them missing', async () => {
    const of = await readOpenFaceCsv(join(FIXTURES, 'csv', 'openface.csv'));
    const want = csv.openface;
    expect(of.columns).toEqual(want.columns);
    expect([of.t, of.d]).toEqual([4, 4]);
    expect(Array.from(of.data)).toEqual(want.values.flat().map(Math.fround));
    expect(Array.from(of.missing)).toEqual(want.missing);
    expect(of.nonfinite).toBe(want.nonfinite);
    expect(of.warnings).toEqual([expect.stringMatching(/2 rows of other faces dropped, kept face 0/)]);
  });

  it('gives frame i the span [ts_i, ts_i+1) and the last frame the median step', async () => {
    const of = await readOpenFaceCsv(join(FIXTURES, 'csv', 'openface.csv'));
    expect(Array.from(of.spans)).toEqual(csv.openface.spans.flat().map(Math.fround));
    expect(Array.from(of.confidence)).toEqual([0.98, 0, 0.95, 0.97].map(Math.fround));
  });

  it('keeps only the asked-for columns, in the asked-for order', () => {
    const of = parseOpenFaceCsv(`${HEADER}\n1, 0, 0, 1, 1, 0.5, 2\n`, 'x.csv', { columns: ['AU01_r', 'gaze_0_x'] });
    expect(Array.from(of.data)).toEqual([2, 0.5]);
  });

  it('gives a single frame a 1/30 s span', () => {
    const of = parseOpenFaceCsv(`${HEADER}\n1, 0, 2, 1, 1, 0.5, 2\n`);
    expect(of.spans[1] - of.spans[0]).toBeCloseTo(1 / 30, 6);
  });
});

describe('parseOpenFaceCsv errors', () => {
  const fails = (text: string, options = {}): unknown => {
    try {
      parseOpenFaceCsv(text, 'of.csv', options);
    } catch (err) {
      return err;
    }
    return undefined;
  };

  it.each([
    ['a row with too few fields', `${HEADER}\n1, 0, 0, 1, 1, 0.5\n`, /of\.csv: line 2: expected 7 fields .* got 6/],
    ['a non-numeric feature', `${HEADER}\n1, 0, 0, 1, 1, 0.5, 2\n2, 0, 0.1, 1, 1, abc, 2\n`, /line 3, column 'gaze_0_x': expected a number, got 'abc'/],
    ['a non-numeric success', `${HEADER}\n1, 0, 0, 1, yes, 0.5, 2\n`, /line 2, column 'success'/],
    ['timestamps going backwards', `${HEADER}\n1, 0, 1, 1, 1, 0.5, 2\n2, 0, 0.5, 1, 1, 0.5, 2\n`, /line 3, column 'timestamp'/],
    ['a header without OpenFace columns', 'a,b,c\n1,2,3\n', /line 1: not an OpenFace header/],
    ['an empty file', '', /empty file/],
  ])('rejects %s with CSV_MALFORMED', (_, text, why) => {
    expect(fails(text)).toMatchObject({ code: 'CSV_MALFORMED', message: expect.stringMatching(why) });
  });

  it('rejects a requested column the file lacks', () => {
    expect(fails(`${HEADER}\n`, { columns: ['AU45_r'] })).toMatchObject({ code: 'CSV_MALFORMED', message: expect.stringMatching(/no column 'AU45_r'/) });
  });
});

describe('isOpenFaceHeader', () => {
  it('recognises OpenFace headers with or without spaces, and nothing else', () => {
    expect(isOpenFaceHeader(HEADER.split(','))).toBe(true);
    expect(isOpenFaceHeader(['frame', 'timestamp', 'success', 'x'])).toBe(true);
    expect(isOpenFaceHeader(['time', 'mfcc_0'])).toBe(false);
  });
});
