import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DarError } from '../../errors';
import type { ErrorCode } from '#contract/errors';
import { OP } from './opcodes';
import { PickleAsm } from './pickle-asm';
import { readPickleBytes } from './read-pickle';

const fixtures = fileURLToPath(new URL('../../../../testing/engine/data/pickles/', import.meta.url));
const text = (s: string) => new TextEncoder().encode(s);

/** The DarError a decode throws (fails the test if it throws anything else or nothing). */
function failure(bytes: Uint8Array, options = {}): DarError {
  try {
    readPickleBytes(bytes, options);
  } catch (err) {
    if (err instanceof DarError) return err;
    throw new Error(`not a DarError: ${String(err)}`);
  }
  throw new Error('decoded without an error');
}

function expectCode(bytes: Uint8Array, code: ErrorCode, message?: RegExp): void {
  const err = failure(bytes);
  expect(err.code, err.message).toBe(code);
  if (message) expect(err.message).toMatch(message);
}

describe('globals outside the allow-list', () => {
  const forbidden = [
    ['os', 'system'],
    ['posix', 'system'],
    ['nt', 'system'],
    ['builtins', 'eval'],
    ['builtins', 'exec'],
    ['builtins', 'getattr'],
    ['builtins', '__import__'],
    ['__builtin__', 'eval'],
    ['subprocess', 'Popen'],
    ['subprocess', 'check_output'],
    ['numpy', 'load'],
    ['numpy', 'frombuffer'],
    ['numpy', 'fromstring'],
    ['numpy._core.multiarray', 'frombuffer'],
    ['numpy.core.multiarray', 'fromstring'],
    ['numpy.testing._private.utils', 'runstring'],
    ['copyreg', '_reconstructor'],
    ['copy_reg', '_reconstructor'],
    ['pickle', 'loads'],
    ['io', 'open'],
    ['_codecs', 'decode'],
  ];

  it.each(forbidden)('refuses GLOBAL %s.%s as it is read, even with garbage after it', (module, name) => {
    // A trailing unknown opcode proves the refusal comes when GLOBAL is read, not later.
    const bytes = new PickleAsm().raw(OP.GLOBAL).line(module).line(name).raw(0xff).build(2);
    expectCode(bytes, 'PICKLE_UNSAFE', new RegExp(`${module}\\.${name}`));
  });

  it.each(forbidden)('refuses STACK_GLOBAL %s.%s', (module, name) => {
    expectCode(new PickleAsm().global(module, name).raw(0xff).build(4), 'PICKLE_UNSAFE', new RegExp(`${module}\\.${name}`));
  });

  it('refuses INST naming a forbidden class', () => {
    const bytes = new PickleAsm().raw(OP.MARK).str('touch x').raw(OP.INST).line('os').line('system').build(2);
    expectCode(bytes, 'PICKLE_UNSAFE', /os\.system/);
  });

  it('refuses calling numpy.ndarray itself through REDUCE, OBJ or NEWOBJ', () => {
    expectCode(new PickleAsm().global('numpy', 'ndarray').raw(OP.EMPTY_TUPLE, OP.REDUCE).build(), 'PICKLE_UNSAFE', /numpy\.ndarray/);
    expectCode(new PickleAsm().raw(OP.MARK).global('numpy', 'ndarray').raw(OP.OBJ).build(), 'PICKLE_UNSAFE', /numpy\.ndarray/);
    expectCode(new PickleAsm().global('numpy', 'ndarray').raw(OP.EMPTY_TUPLE, OP.NEWOBJ).build(), 'PICKLE_UNSAFE', /numpy\.ndarray/);
  });

  it('refuses _reconstruct of anything but numpy.ndarray', () => {
    const bytes = new PickleAsm()
      .global('numpy.core.multiarray', '_reconstruct')
      .global('collections', 'OrderedDict')
      .intTuple([0])
      .raw(OP.SHORT_BINBYTES, 1, 0x62, OP.TUPLE3, OP.REDUCE)
      .build();
    expectCode(bytes, 'PICKLE_UNSAFE', /collections\.OrderedDict/);
  });

  it("allows _codecs.encode only with 'latin1'", () => {
    const encode = (enc: string) => new PickleAsm().global('_codecs', 'encode').str('abc').str(enc).raw(OP.TUPLE2, OP.REDUCE).build();
    expect(readPickleBytes(encode('latin1'))).toEqual(text('abc'));
    expect(readPickleBytes(encode('latin-1'))).toEqual(text('abc'));
    expectCode(encode('rot13'), 'PICKLE_UNSAFE', /rot13/);
    expectCode(encode('utf-8'), 'PICKLE_UNSAFE', /utf-8/);
  });

  it('refuses copyreg extension codes', () => {
    expectCode(new PickleAsm().raw(OP.EXT1, 1).build(), 'PICKLE_UNSAFE');
    expectCode(new PickleAsm().raw(OP.EXT4).u32(7).build(), 'PICKLE_UNSAFE');
  });

  it('refuses the fixture exploits: os.system, builtins.eval and numpy.frombuffer', () => {
    const read = (name: string) => failure(readFileSync(`${fixtures}${name}`));
    expect(read('unsafe_os_system.pkl').message).toMatch(/os\.system/);
    expect(read('unsafe_eval.pkl').message).toMatch(/builtins\.eval/);
    expect(read('unsafe_numpy_frombuffer.pkl').message).toMatch(/numpy\.frombuffer/);
  });
});

describe('broken pickles', () => {
  it('reports truncation with the offset and the opcode being read', () => {
    const bytes = new PickleAsm().str('hello').build(4);
    const cut = bytes.subarray(0, 6);
    expectCode(cut, 'PICKLE_TRUNCATED', /SHORT_BINUNICODE.*offset 2/);
    expectCode(bytes.subarray(0, bytes.length - 1), 'PICKLE_TRUNCATED', /no STOP/);
    expectCode(new Uint8Array(0), 'PICKLE_TRUNCATED', /empty/);
  });

  it('reports a payload claiming more bytes than the file has as truncated, without allocating it', () => {
    const bytes = new PickleAsm().raw(OP.BINBYTES8).u64(2 ** 50).build(4);
    expectCode(bytes, 'PICKLE_TRUNCATED', /BINBYTES8/);
  });

  it.each([
    ['an unknown opcode', Uint8Array.of(OP.PROTO, 4, 0xff, OP.STOP), /unknown opcode 0xff/],
    ['a pop of the empty stack', Uint8Array.of(OP.PROTO, 4, OP.POP, OP.STOP), /POP .*MARK/],
    ['REDUCE on an empty stack', Uint8Array.of(OP.PROTO, 4, OP.REDUCE, OP.STOP), /empty stack/],
    ['TUPLE without MARK', Uint8Array.of(OP.PROTO, 4, OP.NONE, OP.TUPLE, OP.STOP), /MARK/],
    ['a memo entry never stored', Uint8Array.of(OP.PROTO, 4, OP.BINGET, 3, OP.STOP), /memo entry 3/],
    ['APPEND to a dict', Uint8Array.of(OP.PROTO, 4, OP.EMPTY_DICT, OP.NONE, OP.APPEND, OP.STOP), /not a list/],
    ['STOP with nothing on the stack', Uint8Array.of(OP.PROTO, 4, OP.STOP), /empty stack/],
    ['REDUCE of a non-callable', Uint8Array.of(OP.PROTO, 4, OP.NONE, OP.EMPTY_TUPLE, OP.REDUCE, OP.STOP), /callable/],
  ])('reports %s as malformed', (_, bytes, message) => {
    expectCode(bytes, 'PICKLE_MALFORMED', message);
  });

  it('reports array data of the wrong size as malformed', () => {
    expectCode(new PickleAsm().frombuffer(new Uint8Array(10), 'f4', [3]).build(), 'PICKLE_MALFORMED', /12 bytes/);
  });

  it('reports unsupported protocols, dtypes and buffers', () => {
    expectCode(Uint8Array.of(OP.PROTO, 6, OP.NONE, OP.STOP), 'PICKLE_UNSUPPORTED', /protocol 6/);
    expectCode(new PickleAsm().frombuffer(new Uint8Array(16), 'c8', [2]).build(), 'PICKLE_UNSUPPORTED', /c8/);
    expectCode(new PickleAsm().frombuffer(new Uint8Array(8), 'V8', [1]).build(), 'PICKLE_UNSUPPORTED', /V8/);
    const structured = new PickleAsm().global('numpy._core.numeric', '_frombuffer').raw(OP.MARK, OP.BYTEARRAY8).u64(4).raw(new Uint8Array(4));
    structured.dtype('V4', '|', ['a']).intTuple([1]).str('C').raw(OP.TUPLE, OP.REDUCE);
    expectCode(structured.build(), 'PICKLE_UNSUPPORTED', /structured/);
    expectCode(Uint8Array.of(OP.PROTO, 5, OP.NEXT_BUFFER, OP.STOP), 'PICKLE_UNSUPPORTED', /out-of-band/);
  });

  it('throws only DarErrors on every truncation and on random corruption of real pickles', () => {
    let seed = 12345;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const name of ['values_p0.pkl', 'values_p2.pkl', 'values_p4.pkl', 'values_p5.pkl']) {
      const good = readFileSync(`${fixtures}${name}`);
      for (let cut = 0; cut < good.length; cut += 7) expect(failure(good.subarray(0, cut)).code).toBe('PICKLE_TRUNCATED');
      for (let k = 0; k < 300; k++) {
        const bad = Uint8Array.from(good);
        for (let j = 0; j < 3; j++) bad[Math.floor(rand() * bad.length)] = Math.floor(rand() * 256);
        try {
          readPickleBytes(bad, { lazyThreshold: 64 });
        } catch (err) {
          expect(err).toBeInstanceOf(DarError);
        }
      }
    }
  });
});
