import { DarError } from '../../errors';
import type { RawValue } from './lazy-slice';
import { isLazy, latin1Encode, materialise } from './lazy-slice';
import type { ArrayIo } from './ndarray-decode';
import { dtype, fromBuffer, reconstruct, scalar } from './numpy-reduce';
import type { PyGlobal } from './py-value';
import { isTuple, pyTypeName } from './py-value';

/** One allowed global: our own function for it, and which argument may stay a lazy payload. */
interface Allowed {
  /** null for a class that may only be passed to another constructor (numpy.ndarray). */
  fn: ((args: RawValue[], io: ArrayIo) => RawValue) | null;
  dataArg?: number;
}

function entries(modules: string[], name: string, allowed: Allowed): [string, Allowed][] {
  return modules.map((m) => [`${m}.${name}`, allowed]);
}

const NUMPY_MULTIARRAY = ['numpy.core.multiarray', 'numpy._core.multiarray'];
const NUMPY_NUMERIC = ['numpy.core.numeric', 'numpy._core.numeric'];
// Protocol 0-2 pickles name builtins by their Python 2 module.
const BUILTINS = ['builtins', '__builtin__'];

/**
 * The only globals a pickle may name. Each maps to one of our own functions; nothing is ever
 * looked up by name in a runtime or executed. Anything else is PICKLE_UNSAFE the moment the
 * opcode naming it is read.
 */
const ALLOWED = new Map<string, Allowed>([
  ...entries(NUMPY_MULTIARRAY, '_reconstruct', { fn: reconstruct }),
  ...entries(NUMPY_MULTIARRAY, 'scalar', { fn: scalar, dataArg: 1 }),
  ...entries(NUMPY_NUMERIC, '_frombuffer', { fn: fromBuffer, dataArg: 0 }),
  ...entries(['numpy'], 'dtype', { fn: dtype }),
  ...entries(['numpy'], 'ndarray', { fn: null }),
  ...entries(['_codecs'], 'encode', { fn: codecsEncode, dataArg: 0 }),
  ...entries(['collections'], 'OrderedDict', { fn: orderedDict }),
  ...entries(BUILTINS, 'set', { fn: (args) => makeSet(args, false) }),
  ...entries(BUILTINS, 'frozenset', { fn: (args) => makeSet(args, true) }),
  ...entries(BUILTINS, 'bytes', { fn: (args) => makeBytes(args, 'bytes'), dataArg: 0 }),
  ...entries(BUILTINS, 'bytearray', { fn: (args) => makeBytes(args, 'bytearray'), dataArg: 0 }),
]);

/** The reference for an allowed global, or PICKLE_UNSAFE naming it. */
export function resolveGlobal(module: string, name: string): PyGlobal {
  if (!ALLOWED.has(`${module}.${name}`)) {
    throw new DarError('PICKLE_UNSAFE', `pickle refers to ${module}.${name}, which is not on the allow-list of numpy array constructors and plain containers; refusing to load it`);
  }
  return { kind: 'global', module, name };
}

/** Calls an allowed global (REDUCE, NEWOBJ, INST, OBJ) with decoded arguments. */
export function callGlobal(callable: RawValue, args: RawValue[], io: ArrayIo, how: string): RawValue {
  if (typeof callable !== 'object' || callable === null || (callable as { kind?: unknown }).kind !== 'global') {
    throw new DarError('PICKLE_MALFORMED', `${how} needs a callable, got ${pyTypeName(callable)}`);
  }
  const g = callable as PyGlobal;
  const allowed = ALLOWED.get(`${g.module}.${g.name}`);
  if (!allowed?.fn) throw new DarError('PICKLE_UNSAFE', `${how} of ${g.module}.${g.name} is not allowed`);
  // Only an array payload may stay in the file; any other lazy argument is read now.
  const plain = args.map((a, i) => (isLazy(a) && i !== allowed.dataArg ? materialise(io.access, a) : a));
  return allowed.fn(plain, io);
}

function codecsEncode(args: RawValue[]): RawValue {
  const [text, encoding] = args;
  if (encoding !== 'latin1' && encoding !== 'latin-1') {
    throw new DarError('PICKLE_UNSAFE', `_codecs.encode is allowed only with 'latin1', got ${JSON.stringify(String(encoding))}`);
  }
  if (typeof text === 'string') return latin1Encode(text);
  if (isLazy(text) && text.type === 'str') return { ...text, type: 'bytes' };
  throw new DarError('PICKLE_MALFORMED', `_codecs.encode expects a str, got ${pyTypeName(text)}`);
}

function makeSet(args: RawValue[], frozen: boolean): RawValue {
  const src = args[0];
  if (args.length === 0) return { kind: 'set', frozen, items: [] };
  if (Array.isArray(src)) return { kind: 'set', frozen, items: [...src] };
  if (isTuple(src)) return { kind: 'set', frozen, items: [...src.items] };
  throw new DarError('PICKLE_MALFORMED', `set() from ${pyTypeName(src)} is not supported`);
}

function makeBytes(args: RawValue[], what: string): RawValue {
  const src = args[0];
  if (args.length === 0) return new Uint8Array(0);
  if (src instanceof Uint8Array) return src.slice();
  if (isLazy(src) && src.type === 'bytes') return src;
  // bytes(n) would allocate n zero bytes: a size bomb in a few bytes of pickle, so refused.
  if (Array.isArray(src) && src.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b < 256)) {
    return Uint8Array.from(src as number[]);
  }
  throw new DarError('PICKLE_MALFORMED', `${what}() from ${pyTypeName(src)} is not supported`);
}

function orderedDict(args: RawValue[]): RawValue {
  if (args.length !== 0) throw new DarError('PICKLE_MALFORMED', `OrderedDict() with arguments is not supported`);
  return new Map();
}
