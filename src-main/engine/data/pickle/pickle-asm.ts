import { OP } from './opcodes';

/**
 * A tiny pickle assembler for tests and benchmarks: writes opcodes by hand so tests can build
 * pickles Python would never emit (malicious, malformed, huge) without Python.
 */
export class PickleAsm {
  private readonly parts: Uint8Array[] = [];

  /** Raw bytes. */
  raw(...bytes: (number | Uint8Array)[]): this {
    for (const b of bytes) this.parts.push(typeof b === 'number' ? Uint8Array.of(b) : b);
    return this;
  }

  /** Protocol-0 text argument (a line). */
  line(text: string): this {
    return this.raw(new TextEncoder().encode(`${text}\n`));
  }

  u32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    return this.raw(b);
  }

  u64(n: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
    return this.raw(b);
  }

  /** A str (SHORT_BINUNICODE or BINUNICODE). */
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return b.length < 256 ? this.raw(OP.SHORT_BINUNICODE, b.length, b) : this.raw(OP.BINUNICODE).u32(b.length).raw(b);
  }

  /** A small non-negative int. */
  int(n: number): this {
    return n < 256 && n >= 0 ? this.raw(OP.BININT1, n) : this.raw(OP.BININT).u32(n >>> 0);
  }

  /** module.name by STACK_GLOBAL (protocol 4+). */
  global(module: string, name: string): this {
    return this.str(module).str(name).raw(OP.STACK_GLOBAL);
  }

  /** A tuple of small ints. */
  intTuple(values: number[]): this {
    this.raw(OP.MARK);
    for (const v of values) this.int(v);
    return this.raw(OP.TUPLE);
  }

  /** `numpy.dtype(code)` with its BUILD state. */
  dtype(code: string, byteOrder: '<' | '>' | '|' = '<', names: string[] | null = null): this {
    this.global('numpy', 'dtype').str(code).raw(OP.NEWFALSE, OP.NEWTRUE, OP.TUPLE3, OP.REDUCE);
    this.raw(OP.MARK).int(3).str(byteOrder).raw(OP.NONE);
    if (names) {
      this.raw(OP.MARK);
      for (const n of names) this.str(n);
      this.raw(OP.TUPLE, OP.EMPTY_DICT);
    } else this.raw(OP.NONE, OP.NONE);
    return this.raw(OP.BININT).u32(0xffffffff).raw(OP.BININT).u32(0xffffffff).int(0).raw(OP.TUPLE, OP.BUILD);
  }

  /** A protocol-5 `_frombuffer(bytearray, dtype, shape, order)` array. */
  frombuffer(payload: Uint8Array, code: string, shape: number[], order: 'C' | 'F' = 'C', byteOrder: '<' | '>' = '<'): this {
    this.global('numpy._core.numeric', '_frombuffer').raw(OP.MARK);
    this.raw(OP.BYTEARRAY8).u64(payload.length).raw(payload);
    return this.dtype(code, byteOrder).intTuple(shape).str(order).raw(OP.TUPLE, OP.REDUCE);
  }

  /** The pickle so far, with a PROTO header and a STOP. */
  build(protocol = 5): Uint8Array {
    const body = this.parts.reduce((n, p) => n + p.length, 0);
    const out = new Uint8Array(body + 3);
    out.set([OP.PROTO, protocol]);
    let at = 2;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    out[at] = OP.STOP;
    return out;
  }
}
