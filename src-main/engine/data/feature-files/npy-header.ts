import { DarError } from '../../errors';

/** A value of the Python literal subset that .npy headers use. */
export type PyLiteral = string | number | boolean | null | PyLiteral[] | { [key: string]: PyLiteral };

/** The three fields of a .npy header dictionary, checked. */
export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/**
 * Parses the header dictionary of a .npy file, e.g. "{'descr': '<f4', 'fortran_order': False,
 * 'shape': (3, 4), }". `name` labels errors.
 */
export function parseNpyHeader(text: string, name: string): NpyHeader {
  const malformed = (why: string): DarError =>
    new DarError('NPY_MALFORMED', `${name}: bad .npy header (${why}): ${text.trim().slice(0, 200)}`);
  let dict: PyLiteral;
  try {
    dict = new LiteralParser(text).parseAll();
  } catch (err) {
    throw malformed(err instanceof Error ? err.message : String(err));
  }
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) throw malformed('not a dict');
  const { descr, fortran_order: fortran, shape } = dict;
  if (Array.isArray(descr)) {
    throw new DarError('NPY_UNSUPPORTED', `${name}: structured dtype ${JSON.stringify(descr)} is not supported`);
  }
  if (typeof descr !== 'string') throw malformed("'descr' missing or not a string");
  if (typeof fortran !== 'boolean') throw malformed("'fortran_order' missing or not a bool");
  if (!Array.isArray(shape)) throw malformed("'shape' missing or not a tuple");
  for (const s of shape) {
    if (typeof s !== 'number' || !Number.isSafeInteger(s) || s < 0) throw malformed(`bad dimension ${String(s)}`);
  }
  return { descr, fortranOrder: fortran, shape: shape as number[] };
}

/** A recursive-descent parser for dicts, tuples, lists, strings, ints and True/False/None. */
class LiteralParser {
  private pos = 0;

  constructor(private readonly src: string) {}

  parseAll(): PyLiteral {
    const value = this.value();
    this.skipSpace();
    if (this.pos !== this.src.length) throw new Error(`unexpected '${this.src[this.pos]}' at ${this.pos}`);
    return value;
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos])) this.pos++;
  }

  private value(): PyLiteral {
    this.skipSpace();
    const c = this.src[this.pos];
    if (c === '{') return this.dict();
    if (c === '(' || c === '[') return this.sequence(c === '(' ? ')' : ']');
    if (c === "'" || c === '"') return this.string();
    if (c !== undefined && /[-+0-9]/.test(c)) return this.number();
    const word = /^[A-Za-z_]+/.exec(this.src.slice(this.pos))?.[0];
    if (word === 'True' || word === 'False' || word === 'None') {
      this.pos += word.length;
      return word === 'None' ? null : word === 'True';
    }
    throw new Error(c === undefined ? 'unexpected end' : `unexpected '${c}' at ${this.pos}`);
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.src[this.pos] !== ch) throw new Error(`expected '${ch}' at ${this.pos}`);
    this.pos++;
  }

  /** True (and consumes it) when the next non-space character is `ch`. */
  private peekIs(ch: string): boolean {
    this.skipSpace();
    if (this.src[this.pos] !== ch) return false;
    this.pos++;
    return true;
  }

  private dict(): PyLiteral {
    this.expect('{');
    const out: { [key: string]: PyLiteral } = {};
    while (!this.peekIs('}')) {
      const key = this.value();
      if (typeof key !== 'string') throw new Error('dict key is not a string');
      this.expect(':');
      out[key] = this.value();
      if (!this.peekIs(',')) {
        this.expect('}');
        break;
      }
    }
    return out;
  }

  private sequence(close: string): PyLiteral[] {
    this.pos++;
    const out: PyLiteral[] = [];
    while (!this.peekIs(close)) {
      out.push(this.value());
      if (!this.peekIs(',')) {
        this.expect(close);
        break;
      }
    }
    return out;
  }

  private string(): string {
    const quote = this.src[this.pos++];
    let out = '';
    while (this.pos < this.src.length && this.src[this.pos] !== quote) {
      if (this.src[this.pos] === '\\') this.pos++;
      out += this.src[this.pos++];
    }
    if (this.pos >= this.src.length) throw new Error('unterminated string');
    this.pos++;
    return out;
  }

  private number(): number {
    // Python 2 era files write longs as "3L".
    const m = /^[-+]?\d+L?/.exec(this.src.slice(this.pos));
    if (!m) throw new Error(`bad number at ${this.pos}`);
    this.pos += m[0].length;
    return Number.parseInt(m[0], 10);
  }
}
