import { DarError } from '../../errors';
import type { RandomAccess } from './byte-reader';
import { ChunkedReader, fileAccess, memoryAccess } from './byte-reader';
import type { RawValue } from './lazy-slice';
import { isLazy, materialise } from './lazy-slice';
import type { OpHandler } from './machine';
import { Machine } from './machine';
import { OP, opName } from './opcodes';
import { CALL_OPS } from './ops-calls';
import { STRUCTURE_OPS } from './ops-structure';
import { VALUE_OPS } from './ops-values';
import type { PyValue } from './py-value';

/** Options of the pickle readers. */
export interface PickleOptions {
  /** Size of the read buffer in bytes (default 4 MiB). */
  chunkSize?: number;
  /** Payloads at least this long stay in the file until an array consumes them (default 1 MiB). */
  lazyThreshold?: number;
}

const DEFAULTS = { chunkSize: 4 << 20, lazyThreshold: 1 << 20 };

const HANDLERS = new Map<number, OpHandler>([...VALUE_OPS, ...STRUCTURE_OPS, ...CALL_OPS]);

/**
 * Decodes a pickle file (protocols 0-5) safely: only numpy array constructors and plain
 * containers are recognised, numpy arrays become typed arrays, and the file is streamed.
 */
export function readPickleFile(path: string, options: PickleOptions = {}): PyValue {
  return readPickleFrom(fileAccess(path), options);
}

/** Decodes a pickle held in memory (same rules as {@link readPickleFile}). */
export function readPickleBytes(bytes: Uint8Array, options: PickleOptions = {}): PyValue {
  return readPickleFrom(memoryAccess(bytes), options);
}

/** Decodes a pickle from any positional byte source, which it closes when done. */
export function readPickleFrom(access: RandomAccess, options: PickleOptions = {}): PyValue {
  const chunkSize = options.chunkSize ?? DEFAULTS.chunkSize;
  const reader = new ChunkedReader(access, chunkSize);
  const machine = new Machine(reader, { access, chunkSize }, options.lazyThreshold ?? DEFAULTS.lazyThreshold);
  try {
    return resolveLazy(run(machine, reader), access);
  } catch (err) {
    if (err instanceof DarError) throw err;
    // Anything else (an engine limit such as a string too long) is still the file's fault.
    const why = err instanceof Error ? err.message : String(err);
    throw new DarError('PICKLE_MALFORMED', `cannot decode pickle at offset ${reader.opOffset} (${reader.op}): ${why}`);
  } finally {
    access.close();
  }
}

function run(m: Machine, reader: ChunkedReader): RawValue {
  if (reader.access.size === 0) throw new DarError('PICKLE_TRUNCATED', 'pickle is empty (0 bytes)');
  for (;;) {
    reader.op = 'opcode (no STOP before the end of the file)';
    reader.opOffset = reader.pos;
    const code = reader.byte();
    reader.op = opName(code);
    if (code === OP.STOP) return m.pop();
    const handler = HANDLERS.get(code);
    if (!handler) throw new DarError('PICKLE_MALFORMED', `malformed pickle: ${opName(code)} at offset ${reader.opOffset}`);
    handler(m);
  }
}

/** Replaces lazy slices still held in containers by their bytes or string. */
function resolveLazy(root: RawValue, access: RandomAccess): PyValue {
  if (isLazy(root)) return materialise(access, root);
  const seen = new Set<object>();
  const todo: RawValue[] = [root];
  while (todo.length > 0) {
    const v = todo.pop() as RawValue;
    if (typeof v !== 'object' || v === null || v instanceof Uint8Array || seen.has(v)) continue;
    seen.add(v);
    const slots = childSlots(v);
    if (!slots) continue;
    for (const [get, set] of slots) {
      const child = get();
      if (isLazy(child)) set(materialise(access, child));
      else todo.push(child);
    }
  }
  return root as PyValue;
}

type Slot = [() => RawValue, (v: RawValue) => void];

function childSlots(v: RawValue & object): Slot[] | null {
  const arrayItems = (a: RawValue[]): Slot[] => a.map((_, i): Slot => [() => a[i], (x) => (a[i] = x)]);
  if (Array.isArray(v)) return arrayItems(v);
  if (v instanceof Map) return [...v.keys()].map((k): Slot => [() => v.get(k) as RawValue, (x) => v.set(k, x)]);
  const kind = (v as { kind?: unknown }).kind;
  if (kind === 'tuple' || kind === 'set') return arrayItems((v as { items: RawValue[] }).items);
  if (kind === 'ndarray' && Array.isArray((v as { data: unknown }).data)) {
    const data = (v as { data: RawValue[] | string[] }).data;
    return typeof data[0] === 'string' ? null : arrayItems(data as RawValue[]);
  }
  return null;
}
