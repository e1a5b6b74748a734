import { describe, expect, it } from 'vitest';
import { formatCsv, formatCsvRow, parseCsv, parseCsvRecords } from './csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, escaped quotes and line breaks', () => {
    const text = 'id,text\r\n1,"he said ""hi"", then\nleft"\r\n2,plain\r\n';
    expect(parseCsv(text)).toEqual([
      ['id', 'text'],
      ['1', 'he said "hi", then\nleft'],
      ['2', 'plain'],
    ]);
  });

  it('strips a BOM and accepts a missing final newline', () => {
    expect(parseCsv('\uFEFFa,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('keeps empty fields and skips blank lines', () => {
    expect(parseCsv('a,,c\n\n,,\n')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
  });

  it('reports the line each record starts on, counting line breaks inside quotes', () => {
    const records = parseCsvRecords('h\n"x\ny"\nz\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('rejects an unclosed quote with the file and line', () => {
    expect(() => parseCsv('a\n"open,1\n', 'label.csv')).toThrow(
      expect.objectContaining({ code: 'CSV_MALFORMED', message: expect.stringMatching(/label\.csv: line 2: unclosed/) }),
    );
  });

  it('rejects text after a closing quote', () => {
    expect(() => parseCsv('"x"y,1')).toThrow(expect.objectContaining({ code: 'CSV_MALFORMED' }));
  });
});

describe('formatCsvRow', () => {
  it('quotes only fields that need it and round-trips through parseCsv', () => {
    const row = ['a', 'b,c', 'say "hi"', 'two\nlines', 1.5, -3, ' padded '];
    expect(formatCsvRow(['a', 1, 'b,c'])).toBe('a,1,"b,c"');
    expect(parseCsv(formatCsv([row, row]))).toEqual([row.map(String), row.map(String)]);
  });
});
