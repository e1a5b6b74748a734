/**
 * The values a pickle decodes to. Python containers become plain JS structures; numpy arrays
 * become typed arrays. The type parameter `L` lets the unpickler carry lazy file slices inside
 * containers while it runs; results handed out use the default (`never`), i.e. no lazy slices.
 */

/** Keys a decoded dict may have (Python dicts with tuple or other keys are refused). */
export type PyKey = string | number | bigint | boolean | null;

/** A Python tuple (lists are plain JS arrays). */
export interface PyTuple<L = never> {
  kind: 'tuple';
  items: PyValue<L>[];
}

/** A Python set or frozenset, items in pickle order. */
export interface PySet<L = never> {
  kind: 'set';
  frozen: boolean;
  items: PyValue<L>[];
}

/** A reference to an allowed global (e.g. the `numpy.ndarray` class passed to `_reconstruct`). */
export interface PyGlobal {
  kind: 'global';
  module: string;
  name: string;
}

/** numpy dtype names this reader understands. */
export type NdDtypeName =
  | 'float16'
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool'
  | 'unicode'
  | 'object';

/** A numpy dtype as pickled: `numpy.dtype(code, align, copy)` plus its BUILD state. */
export interface NpDtype {
  kind: 'dtype';
  /** Type code without byte order, e.g. 'f4', 'U12', 'O8'. */
  code: string;
  /** '<' little, '>' big, '|' not applicable. */
  byteOrder: '<' | '>' | '|';
  /** Structured dtypes (named fields) are recognised only to be refused when used. */
  structured: boolean;
}

/**
 * Element storage of a decoded array, always in C (row-major) order:
 * float16/32/64 -> Float32Array; int8/16/32, uint16 -> Int32Array; int64, uint32, uint64 ->
 * Float64Array (exact up to 2^53); uint8, bool -> Uint8Array; unicode -> string[]; object -> values.
 */
export type NdData<L = never> = Float32Array | Int32Array | Float64Array | Uint8Array | string[] | PyValue<L>[];

/** A numpy ndarray. Float arrays have their non-finite values replaced by 0 and counted. */
export interface NdArray<L = never> {
  kind: 'ndarray';
  dtype: NdDtypeName;
  shape: number[];
  data: NdData<L>;
  /** How many ±inf / NaN values were replaced by 0 (float dtypes only). */
  nonfinite: number;
}

/** Any decoded value; ints beyond 2^53 are bigints, bytes and bytearrays are Uint8Arrays. */
export type PyValue<L = never> =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PyValue<L>[]
  | PyTuple<L>
  | PySet<L>
  | Map<PyKey, PyValue<L>>
  | PyGlobal
  | NpDtype
  | NdArray<L>
  | L;

/** True for a numpy array value. */
export function isNdArray<L>(v: PyValue<L>): v is NdArray<L> {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'ndarray';
}

/** True for a tuple value. */
export function isTuple<L>(v: PyValue<L>): v is PyTuple<L> {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'tuple';
}

/** True for a dtype value. */
export function isDtype<L>(v: PyValue<L>): v is NpDtype {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'dtype';
}

/** True for a reference to an allowed global. */
export function isGlobal<L>(v: PyValue<L>): v is PyGlobal {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'global';
}

/** Python-ish type name of a value, for error messages. */
export function pyTypeName<L>(v: PyValue<L>): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'list';
  if (v instanceof Map) return 'dict';
  const kind = (v as { kind?: unknown }).kind;
  if (kind === 'ndarray') return `ndarray(${(v as NdArray<L>).dtype})`;
  if (kind === 'global') return `${(v as PyGlobal).module}.${(v as PyGlobal).name}`;
  return typeof kind === 'string' ? kind : 'object';
}
