import { DarError } from '../../errors';
import { uintLE } from './byte-reader';
import type { LazySlice, RawValue } from './lazy-slice';
import type { Machine, OpHandler } from './machine';
import { dictKey } from './machine';
import { OP } from './opcodes';
import type { PyKey, PySet } from './py-value';
import { pyTypeName } from './py-value';

/** Opcodes that build containers, move values on the stack, use the memo or frame the stream. */

function tuple(items: RawValue[]): RawValue {
  return { kind: 'tuple', items };
}

function list(m: Machine, target: RawValue): RawValue[] {
  if (!Array.isArray(target)) throw m.misuse(`appends to a ${pyTypeName(target)}, not a list`);
  return target;
}

function dict(m: Machine, target: RawValue): Map<PyKey, RawValue> {
  if (!(target instanceof Map)) throw m.misuse(`sets an item on a ${pyTypeName(target)}, not a dict`);
  return target;
}

function setItems(m: Machine, target: RawValue, items: RawValue[]): void {
  const d = dict(m, target);
  if (items.length % 2 !== 0) throw m.misuse('has an odd number of key/value items');
  for (let i = 0; i < items.length; i += 2) d.set(dictKey(m, items[i]), items[i + 1]);
}

function addItems(m: Machine): void {
  const items = m.popMark();
  const target = m.top();
  if (typeof target !== 'object' || target === null || (target as { kind?: unknown }).kind !== 'set') {
    throw m.misuse(`adds items to a ${pyTypeName(target)}, not a set`);
  }
  (target as PySet<LazySlice>).items.push(...items);
}

function memoKey(m: Machine, width: number): number {
  return uintLE(m.reader.bytes(width), 'memo key');
}

function textMemoKey(m: Machine): number {
  const s = m.reader.line();
  if (!/^\d+$/.test(s)) throw m.misuse(`holds memo key ${JSON.stringify(s)}`);
  return Number(s);
}

/** Handlers by opcode. */
export const STRUCTURE_OPS: [number, OpHandler][] = [
  [OP.MARK, (m) => m.mark()],
  [OP.POP, (m) => (m.frameEmpty ? m.popMark() : m.pop())],
  [OP.POP_MARK, (m) => m.popMark()],
  [OP.DUP, (m) => m.push(m.top())],
  [OP.EMPTY_TUPLE, (m) => m.push(tuple([]))],
  [OP.TUPLE, (m) => m.push(tuple(m.popMark()))],
  [OP.TUPLE1, (m) => m.push(tuple([m.pop()]))],
  [OP.TUPLE2, (m) => {
    const b = m.pop();
    m.push(tuple([m.pop(), b]));
  }],
  [OP.TUPLE3, (m) => {
    const c = m.pop();
    const b = m.pop();
    m.push(tuple([m.pop(), b, c]));
  }],
  [OP.EMPTY_LIST, (m) => m.push([])],
  [OP.LIST, (m) => m.push(m.popMark())],
  [OP.APPEND, (m) => {
    const v = m.pop();
    list(m, m.top()).push(v);
  }],
  [OP.APPENDS, (m) => {
    const items = m.popMark();
    const target = list(m, m.top());
    for (const v of items) target.push(v);
  }],
  [OP.EMPTY_DICT, (m) => m.push(new Map())],
  [OP.DICT, (m) => {
    const items = m.popMark();
    const d = new Map<PyKey, RawValue>();
    m.push(d);
    setItems(m, d, items);
  }],
  [OP.SETITEM, (m) => {
    const v = m.pop();
    const k = m.pop();
    setItems(m, m.top(), [k, v]);
  }],
  [OP.SETITEMS, (m) => {
    const items = m.popMark();
    setItems(m, m.top(), items);
  }],
  [OP.EMPTY_SET, (m) => m.push({ kind: 'set', frozen: false, items: [] })],
  [OP.ADDITEMS, addItems],
  [OP.FROZENSET, (m) => m.push({ kind: 'set', frozen: true, items: m.popMark() })],
  [OP.GET, (m) => m.push(m.memoGet(textMemoKey(m)))],
  [OP.BINGET, (m) => m.push(m.memoGet(memoKey(m, 1)))],
  [OP.LONG_BINGET, (m) => m.push(m.memoGet(memoKey(m, 4)))],
  [OP.PUT, (m) => m.memoPut(textMemoKey(m))],
  [OP.BINPUT, (m) => m.memoPut(memoKey(m, 1))],
  [OP.LONG_BINPUT, (m) => m.memoPut(memoKey(m, 4))],
  [OP.MEMOIZE, (m) => m.memoize()],
  [OP.PROTO, (m) => {
    m.proto = m.reader.byte();
    if (m.proto > 5) throw new DarError('PICKLE_UNSUPPORTED', `pickle protocol ${m.proto} is not supported (0-5 are)`);
  }],
  // Frames only group small opcodes for buffered reading; we read through them.
  [OP.FRAME, (m) => void m.reader.bytes(8)],
];
