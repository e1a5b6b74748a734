import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DarError } from '../../errors';

/** Positional reads from a file or an in-memory buffer. */
export interface RandomAccess {
  readonly size: number;
  /** Reads up to `length` bytes at `position` into `dest` from `offset`; returns the count read. */
  readAt(dest: Uint8Array, offset: number, length: number, position: number): number;
  close(): void;
}

// fs.readSync refuses requests above 2 GiB, so larger reads are split.
const MAX_READ = 1 << 30;

/** Opens a file for positional reads; a missing or unreadable file is a coded error. */
export function fileAccess(path: string): RandomAccess {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DarError('FILE_NOT_FOUND', `no such file: ${path}`);
    throw new DarError('FILE_UNREADABLE', `cannot open ${path}: ${(err as Error).message}`);
  }
  const size = fstatSync(fd).size;
  return {
    size,
    readAt(dest, offset, length, position) {
      let done = 0;
      while (done < length) {
        const n = readSync(fd, dest, offset + done, Math.min(length - done, MAX_READ), position + done);
        if (n === 0) break;
        done += n;
      }
      return done;
    },
    close: () => closeSync(fd),
  };
}

/** Positional reads over bytes already in memory (tests, small inputs). */
export function memoryAccess(bytes: Uint8Array): RandomAccess {
  return {
    size: bytes.length,
    readAt(dest, offset, length, position) {
      const n = Math.max(0, Math.min(length, bytes.length - position));
      dest.set(bytes.subarray(position, position + n), offset);
      return n;
    },
    close: () => undefined,
  };
}

/**
 * Sequential reads through a fixed-size buffer, so a multi-GB pickle is never held whole.
 * Every short read is a PICKLE_TRUNCATED error naming the offset and the opcode being read.
 */
export class ChunkedReader {
  /** Absolute offset of the next byte to read. */
  pos = 0;
  /** The opcode being decoded and where it started, for truncation messages. */
  op = 'opcode';
  opOffset = 0;
  private readonly buf: Uint8Array;
  private bufStart = 0;
  private bufLen = 0;

  constructor(
    readonly access: RandomAccess,
    chunkSize: number,
  ) {
    // A small file needs no more buffer than its own size.
    this.buf = new Uint8Array(Math.max(1, Math.min(Math.floor(chunkSize), access.size)));
  }

  /** True when every byte has been read. */
  get atEnd(): boolean {
    return this.pos >= this.access.size;
  }

  /** One byte. */
  byte(): number {
    const i = this.pos - this.bufStart;
    if (i >= 0 && i < this.bufLen) {
      this.pos++;
      return this.buf[i];
    }
    return this.bytes(1)[0];
  }

  /**
   * `n` bytes. The result may be a view into the internal buffer, valid only until the next
   * read; pass `copy` to get bytes the caller may keep.
   */
  bytes(n: number, copy = false): Uint8Array {
    this.need(n);
    const i = this.pos - this.bufStart;
    if (i >= 0 && i + n <= this.bufLen) {
      this.pos += n;
      const view = this.buf.subarray(i, i + n);
      return copy ? view.slice() : view;
    }
    if (n > this.buf.length) {
      const out = new Uint8Array(n);
      this.access.readAt(out, 0, n, this.pos);
      this.pos += n;
      return out;
    }
    this.bufStart = this.pos;
    this.bufLen = this.access.readAt(this.buf, 0, this.buf.length, this.pos);
    this.pos += n;
    const view = this.buf.subarray(0, n);
    return copy ? view.slice() : view;
  }

  /** Skips `n` bytes (a payload left in the file to be streamed later). */
  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** A text line without its "\n" (protocol 0 arguments), decoded as latin-1. */
  line(): string {
    const parts: string[] = [];
    for (;;) {
      const b = this.byte();
      if (b === 0x0a) return parts.join('');
      parts.push(String.fromCharCode(b));
    }
  }

  private need(n: number): void {
    if (this.pos + n > this.access.size) {
      throw new DarError(
        'PICKLE_TRUNCATED',
        `pickle truncated at offset ${this.access.size}: ${this.op} at offset ${this.opOffset} needs ` +
          `${n} bytes from offset ${this.pos}, the file has ${this.access.size} bytes`,
      );
    }
  }
}

/** Little-endian unsigned integer of `b.length` ≤ 8 bytes; above 2^53 it is an error. */
export function uintLE(b: Uint8Array, what: string): number {
  let v = 0;
  for (let i = b.length - 1; i >= 0; i--) v = v * 256 + b[i];
  if (!Number.isSafeInteger(v)) throw new DarError('PICKLE_MALFORMED', `${what} is too large: ${v}`);
  return v;
}

/** Little-endian signed 32-bit integer. */
export function int32LE(b: Uint8Array): number {
  return (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) | 0;
}

/** Two's-complement little-endian integer of any length (LONG1/LONG4); bigint beyond 2^53. */
export function longLE(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return narrowInt(v);
}

/** A bigint as a number when it is exactly representable. */
export function narrowInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
