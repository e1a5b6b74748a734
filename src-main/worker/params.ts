/**
 * Guards for the studio's parameters: they come from a page (over IPC or a socket), so every
 * field is checked and bad input is answered with an ARG_INVALID naming the field.
 */
import type { ClipQuery, ClipRef, ModalityMask, StudioMethods } from '#contract/api';
import type { PerModality, SplitName } from '#contract/dataset';
import { DarError } from '../engine/errors';

const SPLITS: readonly SplitName[] = ['train', 'valid', 'test'];
const SORTS: readonly NonNullable<ClipQuery['sort']>[] = ['index', 'label', 'prediction', 'error'];
/** Most rows one listClips page may ask for. */
export const MAX_PAGE = 1000;
const MAX_SEGMENTS = 10_000;
const MAX_TEXT = 4096;

type Obj = Record<string, unknown>;

function bad(field: string, expected: string, got: unknown): never {
  const shown = typeof got === 'string' ? JSON.stringify(got.slice(0, 80)) : JSON.stringify(got) ?? String(got);
  throw new DarError('ARG_INVALID', `${field}: expected ${expected}, got ${shown.slice(0, 120)}`);
}

/** The params object itself. */
export function object(value: unknown, field = 'params'): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) bad(field, 'an object', value);
  return value as Obj;
}

function optionalString(o: Obj, key: string): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length > MAX_TEXT) bad(key, `a string of at most ${MAX_TEXT} characters`, v);
  return v;
}

function integer(o: Obj, key: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(key, `an integer in ${min}..${max}`, v);
  return v;
}

/** A ClipRef whose index is within the split of `n` clips (n looked up by split). */
export function clipRef(value: unknown, sizeOf: (split: SplitName) => number): ClipRef {
  const o = object(value);
  const split = o.split as SplitName;
  if (!SPLITS.includes(split)) bad('split', SPLITS.join(' | '), o.split);
  const n = sizeOf(split);
  return { split, index: integer(o, 'index', 0, n - 1) };
}

/** openDataset's params. */
export function openParams(value: unknown): StudioMethods['openDataset'][0] {
  const o = object(value ?? {});
  return { path: optionalString(o, 'path'), checkpoint: optionalString(o, 'checkpoint') };
}

/** listClips's query. */
export function clipQuery(value: unknown): ClipQuery {
  const o = object(value);
  const split = o.split ?? 'all';
  if (split !== 'all' && !SPLITS.includes(split as SplitName)) bad('split', `all | ${SPLITS.join(' | ')}`, split);
  const sort = o.sort ?? 'index';
  if (!SORTS.includes(sort as ClipQuery['sort'] & string)) bad('sort', SORTS.join(' | '), sort);
  if (o.descending !== undefined && typeof o.descending !== 'boolean') bad('descending', 'a boolean', o.descending);
  return {
    split: split as ClipQuery['split'],
    search: optionalString(o, 'search'),
    sort: sort as ClipQuery['sort'],
    descending: o.descending === true,
    offset: integer(o, 'offset', 0, Number.MAX_SAFE_INTEGER),
    limit: integer(o, 'limit', 0, MAX_PAGE),
  };
}

function modalityMask(value: unknown, m: string): ModalityMask {
  if (value === undefined) return { segments: [], whole: false };
  const o = object(value, `masks.${m}`);
  const whole = o.whole ?? false;
  if (typeof whole !== 'boolean') bad(`masks.${m}.whole`, 'a boolean', whole);
  const segs = o.segments ?? [];
  if (!Array.isArray(segs) || segs.length > MAX_SEGMENTS) bad(`masks.${m}.segments`, `an array of at most ${MAX_SEGMENTS} segments`, segs);
  const segments = segs.map((s, q) => {
    const seg = object(s, `masks.${m}.segments[${q}]`);
    const ok = typeof seg.start === 'number' && typeof seg.end === 'number' && Number.isFinite(seg.start) && Number.isFinite(seg.end) && seg.start <= seg.end;
    if (!ok) bad(`masks.${m}.segments[${q}]`, '{ start, end } finite seconds with start <= end', s);
    return { start: seg.start as number, end: seg.end as number };
  });
  return { segments, whole };
}

/** explain's masks (a modality left out = not masked). */
export function workbenchMasks(value: unknown): PerModality<ModalityMask> {
  const o = object(value, 'masks');
  return { l: modalityMask(o.l, 'l'), a: modalityMask(o.a, 'a'), v: modalityMask(o.v, 'v') };
}

/** explainSecond's checkpoint path. */
export function secondCheckpoint(value: unknown): string {
  const v = optionalString(object(value), 'checkpoint');
  if (v === undefined || v === '') bad('checkpoint', 'the path of a checkpoint', v);
  return v;
}

/** randomMask's rate and seed. */
export function rateAndSeed(value: unknown): { rate: number; seed: number } {
  const o = object(value);
  if (typeof o.rate !== 'number' || !(o.rate >= 0 && o.rate <= 1)) bad('rate', 'a number in [0, 1]', o.rate);
  return { rate: o.rate, seed: integer(o, 'seed', 0, Number.MAX_SAFE_INTEGER) };
}
