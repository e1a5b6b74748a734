import { DarError } from '../../errors';

/** One CSV record with the 1-based line it starts on (quoted fields may span lines). */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * Parses RFC 4180 CSV into records: quoted fields with "" escapes and line breaks, CRLF or LF
 * (or lone CR) line ends, a leading BOM, an optional final line break. Empty lines are skipped.
 * A quote inside an unquoted field is kept as text (as Python's csv does); text after a closing
 * quote or an unclosed quote is a CSV_MALFORMED error naming `name` and the line.
 */
export function parseCsvRecords(text: string, name = '<csv>'): CsvRecord[] {
  const records: CsvRecord[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < n) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field: string;
      if (text[i] === '"') {
        const closing = readQuoted(text, i + 1);
        if (closing.end < 0) throw new DarError('CSV_MALFORMED', `${name}: line ${start}: unclosed quoted field`);
        field = closing.value;
        line += closing.lineBreaks;
        i = closing.end;
        if (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') {
          throw new DarError('CSV_MALFORMED', `${name}: line ${line}: unexpected text after a closing quote`);
        }
      } else {
        let j = i;
        while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
        field = text.slice(i, j);
        i = j;
      }
      fields.push(field);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    if (!(fields.length === 1 && fields[0] === '')) records.push({ fields, line: start });
  }
  return records;
}

/** Reads a quoted field from just after its opening quote; end = index after the closing quote, or -1. */
function readQuoted(text: string, from: number): { value: string; end: number; lineBreaks: number } {
  let value = '';
  let lineBreaks = 0;
  let i = from;
  for (;;) {
    const q = text.indexOf('"', i);
    if (q < 0) return { value, end: -1, lineBreaks };
    const chunk = text.slice(i, q);
    value += chunk;
    lineBreaks += countLineBreaks(chunk);
    if (text[q + 1] === '"') {
      value += '"';
      i = q + 2;
    } else return { value, end: q + 1, lineBreaks };
  }
}

function countLineBreaks(s: string): number {
  let k = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\n' || (s[i] === '\r' && s[i + 1] !== '\n')) k++;
  }
  return k;
}

/** Parses RFC 4180 CSV into rows of fields (see {@link parseCsvRecords}). */
export function parseCsv(text: string, name?: string): string[][] {
  return parseCsvRecords(text, name).map((r) => r.fields);
}

/** Formats one CSV row without a line terminator, quoting fields that need it. */
export function formatCsvRow(fields: readonly (string | number)[]): string {
  return fields.map(formatField).join(',');
}

/** Formats rows as CSV text, each row ending with "\n". */
export function formatCsv(rows: readonly (readonly (string | number)[])[]): string {
  return rows.map((r) => formatCsvRow(r) + '\n').join('');
}

function formatField(value: string | number): string {
  const s = typeof value === 'number' ? String(value) : value;
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
