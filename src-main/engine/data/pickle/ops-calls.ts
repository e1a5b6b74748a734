import { DarError } from '../../errors';
import { callGlobal, resolveGlobal } from './allow-list';
import type { Machine, OpHandler } from './machine';
import { applyState } from './numpy-reduce';
import { OP } from './opcodes';
import { isTuple, pyTypeName } from './py-value';
import type { RawValue } from './lazy-slice';

/**
 * Opcodes that name or call globals. Names are checked against the allow-list as soon as the
 * opcode is read, before anything is constructed.
 */

function globalName(m: Machine, lazy: RawValue, what: string): string {
  const v = m.plain(lazy);
  if (typeof v !== 'string') throw m.misuse(`needs a str ${what}, got ${pyTypeName(v)}`);
  return v;
}

function tupleItems(m: Machine, v: RawValue): RawValue[] {
  if (!isTuple(v)) throw m.misuse(`needs an argument tuple, got ${pyTypeName(v)}`);
  return v.items;
}

function call(m: Machine, callable: RawValue, args: RawValue[], how: string): void {
  m.push(callGlobal(callable, args, m.io, how));
}

function refuse(code: 'PICKLE_UNSAFE' | 'PICKLE_UNSUPPORTED', what: string): OpHandler {
  return (m) => {
    throw new DarError(code, `${what} (${m.reader.op} at offset ${m.reader.opOffset}); refusing to load the pickle`);
  };
}

/** Handlers by opcode. */
export const CALL_OPS: [number, OpHandler][] = [
  [OP.GLOBAL, (m) => {
    const module = m.reader.line();
    m.push(resolveGlobal(module, m.reader.line()));
  }],
  [OP.STACK_GLOBAL, (m) => {
    const name = globalName(m, m.pop(), 'name');
    m.push(resolveGlobal(globalName(m, m.pop(), 'module'), name));
  }],
  [OP.INST, (m) => {
    const module = m.reader.line();
    const cls = resolveGlobal(module, m.reader.line());
    call(m, cls, m.popMark(), 'INST');
  }],
  [OP.OBJ, (m) => {
    const [cls, ...args] = m.popMark();
    if (cls === undefined) throw m.misuse('has no class to instantiate');
    call(m, cls, args, 'OBJ');
  }],
  [OP.REDUCE, (m) => {
    const args = tupleItems(m, m.pop());
    call(m, m.pop(), args, 'REDUCE');
  }],
  [OP.NEWOBJ, (m) => {
    const args = tupleItems(m, m.pop());
    call(m, m.pop(), args, 'NEWOBJ');
  }],
  [OP.NEWOBJ_EX, (m) => {
    const kwargs = m.pop();
    const args = tupleItems(m, m.pop());
    if (!(kwargs instanceof Map) || kwargs.size > 0) throw new DarError('PICKLE_UNSUPPORTED', `NEWOBJ_EX with keyword arguments is not supported`);
    call(m, m.pop(), args, 'NEWOBJ_EX');
  }],
  [OP.BUILD, (m) => {
    const state = m.pop();
    applyState(m.top(), state, m.io);
  }],
  // In-band PickleBuffers are plain bytes already; the read-only flag changes nothing for us.
  [OP.READONLY_BUFFER, (m) => void m.top()],
  [OP.NEXT_BUFFER, refuse('PICKLE_UNSUPPORTED', 'out-of-band buffers are not supported')],
  [OP.PERSID, refuse('PICKLE_UNSUPPORTED', 'persistent ids are not supported')],
  [OP.BINPERSID, refuse('PICKLE_UNSUPPORTED', 'persistent ids are not supported')],
  [OP.EXT1, refuse('PICKLE_UNSAFE', 'copyreg extension codes are not allowed')],
  [OP.EXT2, refuse('PICKLE_UNSAFE', 'copyreg extension codes are not allowed')],
  [OP.EXT4, refuse('PICKLE_UNSAFE', 'copyreg extension codes are not allowed')],
];
