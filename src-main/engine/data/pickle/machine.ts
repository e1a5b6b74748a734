import { DarError } from '../../errors';
import type { ChunkedReader } from './byte-reader';
import type { LazySlice, RawValue } from './lazy-slice';
import { isLazy, latin1Decode, materialise } from './lazy-slice';
import type { ArrayIo } from './ndarray-decode';
import type { PyKey } from './py-value';
import { pyTypeName } from './py-value';

const UTF8 = new TextDecoder();

/** One opcode's effect on the machine. */
export type OpHandler = (m: Machine) => void;

/**
 * The unpickling machine: a value stack, a stack of stacks for MARK, and the memo.
 * Stack misuse (popping an empty stack, a missing mark, an unknown memo key) is PICKLE_MALFORMED.
 */
export class Machine {
  proto = 0;
  private stack: RawValue[] = [];
  private readonly metastack: RawValue[][] = [];
  private readonly memo = new Map<number, RawValue>();

  constructor(
    readonly reader: ChunkedReader,
    readonly io: ArrayIo,
    readonly lazyThreshold: number,
  ) {}

  push(v: RawValue): void {
    this.stack.push(v);
  }

  pop(): RawValue {
    if (this.stack.length === 0) throw this.misuse('pops an empty stack');
    return this.stack.pop() as RawValue;
  }

  top(): RawValue {
    if (this.stack.length === 0) throw this.misuse('reads an empty stack');
    return this.stack[this.stack.length - 1];
  }

  /** Whether the current frame (since the last MARK) is empty. */
  get frameEmpty(): boolean {
    return this.stack.length === 0;
  }

  mark(): void {
    this.metastack.push(this.stack);
    this.stack = [];
  }

  /** The items pushed since the last MARK, which is removed. */
  popMark(): RawValue[] {
    const items = this.stack;
    const outer = this.metastack.pop();
    if (!outer) throw this.misuse('needs a MARK but there is none');
    this.stack = outer;
    return items;
  }

  memoGet(key: number): RawValue {
    if (!this.memo.has(key)) throw this.misuse(`reads memo entry ${key}, which was never stored`);
    return this.memo.get(key) as RawValue;
  }

  memoPut(key: number): void {
    if (!Number.isSafeInteger(key) || key < 0) throw this.misuse(`stores memo entry ${key}`);
    this.memo.set(key, this.top());
  }

  memoize(): void {
    this.memoPut(this.memo.size);
  }

  /** A string or bytes payload of `n` bytes; large ones stay in the file as a lazy slice. */
  payload(n: number, source: LazySlice['source'], type: LazySlice['type']): RawValue {
    if (n >= this.lazyThreshold) {
      const offset = this.reader.pos;
      this.reader.skip(n);
      const slice: LazySlice = { kind: 'lazy', offset, length: n, source, type };
      return slice;
    }
    if (type === 'bytes') return this.reader.bytes(n, true);
    const raw = this.reader.bytes(n);
    return source === 'utf8' ? UTF8.decode(raw) : latin1Decode(raw);
  }

  /** The value itself: a lazy slice read into memory when it is used as a plain value. */
  plain(v: RawValue): RawValue {
    return isLazy(v) ? materialise(this.io.access, v) : v;
  }

  /** A PICKLE_MALFORMED error naming the current opcode. */
  misuse(what: string): DarError {
    return new DarError('PICKLE_MALFORMED', `malformed pickle: ${this.reader.op} at offset ${this.reader.opOffset} ${what}`);
  }
}

/** A dict key, or PICKLE_UNSUPPORTED for keys that are not plain scalars. */
export function dictKey(m: Machine, lazyKey: RawValue): PyKey {
  const key = m.plain(lazyKey);
  if (key === null || ['string', 'number', 'bigint', 'boolean'].includes(typeof key)) return key as PyKey;
  throw new DarError('PICKLE_UNSUPPORTED', `dict keys of type ${pyTypeName(key)} are not supported (${m.reader.op} at offset ${m.reader.opOffset})`);
}
