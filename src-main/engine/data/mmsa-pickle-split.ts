import type { Modality, PerModality, SeqTensor, SplitData, SplitName } from '#contract/dataset';
import { DarError, shapeStr } from '../errors';
import type { NdArray, PyKey, PyValue } from './pickle/py-value';
import { isNdArray, pyTypeName } from './pickle/py-value';

/** One MMSA split as read: the contract's SplitData plus whether it carried *_lengths keys. */
export interface MmsaSplit {
  data: SplitData & { nonfinite: PerModality<number> };
  hasLengths: boolean;
}

const FEATURE_KEYS: PerModality<string> = { l: 'text', a: 'audio', v: 'vision' };

/**
 * Validates one MMSA split dict and turns it into SplitData: features as float32 [N,T,D],
 * valid lengths (attention mask for text; *_lengths or the text lengths for a and v), labels,
 * raw text and ids.
 */
export function parseMmsaSplit(name: SplitName, dict: Map<PyKey, PyValue>): MmsaSplit {
  const where = (key: string) => `${name}.${key}`;
  const get = (key: string): PyValue => {
    if (!dict.has(key)) throw new DarError('DATASET_MISSING_KEY', `${name} has no "${key}" (keys: ${[...dict.keys()].join(', ')})`);
    return dict.get(key) as PyValue;
  };
  const l = features(where('text'), get('text'));
  const n = l.tensor.n;
  const a = features(where('audio'), get('audio'), n);
  const v = features(where('vision'), get('vision'), n);
  if (n === 0) throw new DarError('DATASET_EMPTY', `${name} has no samples (text is ${shapeStr([0, l.tensor.t, l.tensor.d])})`);
  const textLen = dict.has('text_bert') ? maskLengths(where('text_bert'), get('text_bert'), n, l.tensor.t) : lastNonZero(l.tensor);
  const hasLengths = dict.has('audio_lengths') || dict.has('vision_lengths');
  const lengths: PerModality<Int32Array> = {
    l: textLen,
    a: hasLengths ? lengthList(where('audio_lengths'), get('audio_lengths'), n) : textLen,
    v: hasLengths ? lengthList(where('vision_lengths'), get('vision_lengths'), n) : textLen,
  };
  const tensors = { l: l.tensor, a: a.tensor, v: v.tensor };
  for (const m of ['l', 'a', 'v'] as Modality[]) checkLengths(name, m, lengths[m], tensors[m].t, hasLengths);
  const data = {
    n,
    ids: strings(where('id'), get('id'), n),
    labels: labels(where('regression_labels'), get('regression_labels'), n),
    rawText: strings(where('raw_text'), get('raw_text'), n),
    ...tensors,
    lengths,
    nonfinite: { l: l.nonfinite, a: a.nonfinite, v: v.nonfinite },
  };
  return { data, hasLengths };
}

function array(what: string, v: PyValue): NdArray {
  if (!isNdArray(v)) throw new DarError('DATASET_DTYPE', `${what}: expected a numpy array, got ${pyTypeName(v)}`);
  return v;
}

/** Numeric array data as float32 (float arrays already are; ints are widened to float). */
function float32(what: string, arr: NdArray): Float32Array {
  if (arr.data instanceof Float32Array) return arr.data;
  if (Array.isArray(arr.data)) throw new DarError('DATASET_DTYPE', `${what}: expected numbers, got a ${arr.dtype} array`);
  return Float32Array.from(arr.data);
}

function features(what: string, v: PyValue, n?: number): { tensor: SeqTensor; nonfinite: number } {
  const arr = array(what, v);
  const [rows, t, d] = arr.shape;
  if (arr.shape.length !== 3 || (n !== undefined && rows !== n)) {
    const expected = n === undefined ? '[N,T,D]' : `[N,T,D] with N=${n} (as text)`;
    throw new DarError('DATASET_SHAPE', `${what}: expected ${expected}, got ${shapeStr(arr.shape)}`);
  }
  return { tensor: { data: float32(what, arr), n: rows, t, d }, nonfinite: arr.nonfinite };
}

function labels(what: string, v: PyValue, n: number): Float32Array {
  const arr = array(what, v);
  const ok = (arr.shape.length === 1 || (arr.shape.length === 2 && arr.shape[1] === 1)) && arr.shape[0] === n;
  if (!ok) throw new DarError('DATASET_SHAPE', `${what}: expected [${n}] or [${n},1], got ${shapeStr(arr.shape)}`);
  if (arr.nonfinite > 0) throw new DarError('DATASET_LABEL', `${what}: ${arr.nonfinite} label(s) are NaN or infinite`);
  return float32(what, arr);
}

/** Text length = sum of the attention mask row (text_bert[:, 1, :]). */
function maskLengths(what: string, v: PyValue, n: number, t: number): Int32Array {
  const arr = array(what, v);
  const [rows, three, tt] = arr.shape;
  if (arr.shape.length !== 3 || rows !== n || three !== 3 || tt !== t) {
    throw new DarError('DATASET_SHAPE', `${what}: expected ${shapeStr([n, 3, t])} (ids, mask, segments), got ${shapeStr(arr.shape)}`);
  }
  const data = float32(what, arr);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < t; j++) sum += data[(i * 3 + 1) * t + j];
    out[i] = Math.round(sum);
  }
  return out;
}

/** Without text_bert: the index of the last row that is not all zeros, plus one. */
function lastNonZero(x: SeqTensor): Int32Array {
  const out = new Int32Array(x.n);
  for (let i = 0; i < x.n; i++) {
    let len = 0;
    for (let j = x.t - 1; j >= 0 && len === 0; j--) {
      const row = x.data.subarray((i * x.t + j) * x.d, (i * x.t + j + 1) * x.d);
      if (row.some((value) => value !== 0)) len = j + 1;
    }
    out[i] = len;
  }
  return out;
}

/** audio_lengths / vision_lengths: a list of ints or a numeric array of N entries. */
function lengthList(what: string, v: PyValue, n: number): Int32Array {
  let values: ArrayLike<unknown>;
  if (Array.isArray(v)) values = v;
  else if (isNdArray(v) && !Array.isArray(v.data) && v.data.length === v.shape[0]) values = v.data;
  else throw new DarError('DATASET_DTYPE', `${what}: expected a list or 1-D array of ints, got ${pyTypeName(v)}`);
  if (values.length !== n) throw new DarError('DATASET_SHAPE', `${what}: expected [${n}] (as text), got [${values.length}]`);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (typeof x !== 'number' || !Number.isInteger(x)) throw new DarError('DATASET_DTYPE', `${what}[${i}]: expected an int, got ${String(x)}`);
    out[i] = x;
  }
  return out;
}

function checkLengths(split: SplitName, m: Modality, len: Int32Array, t: number, own: boolean): void {
  const key = m === 'l' ? 'text_bert mask' : own ? `${FEATURE_KEYS[m]}_lengths` : `${FEATURE_KEYS[m]} (text lengths, aligned)`;
  for (let i = 0; i < len.length; i++) {
    if (len[i] < 0 || len[i] > t) {
      throw new DarError('DATASET_SHAPE', `${split}.${key}: sample ${i} has length ${len[i]}, expected 0..${t} (T of ${FEATURE_KEYS[m]})`);
    }
  }
}

/** raw_text / id: an object or unicode array, or a list, of N strings. */
function strings(what: string, v: PyValue, n: number): string[] {
  const items = Array.isArray(v) ? v : isNdArray(v) && Array.isArray(v.data) && v.shape.length === 1 ? v.data : null;
  if (!items) throw new DarError('DATASET_DTYPE', `${what}: expected a list or 1-D array of str, got ${pyTypeName(v)}`);
  if (items.length !== n) throw new DarError('DATASET_SHAPE', `${what}: expected [${n}] (as text), got [${items.length}]`);
  return items.map((x, i) => {
    if (typeof x === 'string') return x;
    if (x instanceof Uint8Array) return new TextDecoder().decode(x);
    throw new DarError('DATASET_DTYPE', `${what}[${i}]: expected a str, got ${pyTypeName(x)}`);
  });
}
