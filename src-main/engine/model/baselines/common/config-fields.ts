/** Validation of the baselines' flat numeric configs: each field's range, one coded error naming it. */
import { DarError } from '../../../errors';

/** A numeric field's rule: integer or real, inclusive bounds. */
export interface FieldRule {
  int?: boolean;
  min: number;
  max: number;
}

/** Throws ARG_INVALID naming the first field of `config` that is unknown, missing or breaks its rule. */
export function checkFields(kind: string, config: unknown, rules: Record<string, FieldRule>): void {
  if (typeof config !== 'object' || config === null) throw new DarError('ARG_INVALID', `${kind} config: expected an object`);
  const c = config as Record<string, unknown>;
  const unknown = Object.keys(c).find((k) => !Object.hasOwn(rules, k));
  if (unknown !== undefined) throw new DarError('ARG_INVALID', `${kind} config: unknown field ${JSON.stringify(unknown)}`);
  for (const [name, rule] of Object.entries(rules)) {
    const v = c[name];
    const ok = typeof v === 'number' && Number.isFinite(v) && v >= rule.min && v <= rule.max && (!rule.int || Number.isInteger(v));
    if (!ok) throw new DarError('ARG_INVALID', `${kind} config: ${name} must be ${rule.int ? 'an integer' : 'a number'} in [${rule.min}, ${rule.max}], got ${JSON.stringify(v)}`);
  }
}

/** The dataset's dims and padded lengths every baseline config carries (a plain-JSON record). */
export interface DimConfig {
  [key: string]: number;
  dimL: number;
  dimA: number;
  dimV: number;
  seqL: number;
  seqA: number;
  seqV: number;
}

/** The rules every baseline shares: the dataset's dims and padded lengths. */
export const DIM_RULES: Record<string, FieldRule> = {
  dimL: { int: true, min: 1, max: 4096 },
  dimA: { int: true, min: 1, max: 4096 },
  dimV: { int: true, min: 1, max: 4096 },
  seqL: { int: true, min: 1, max: 100_000 },
  seqA: { int: true, min: 1, max: 100_000 },
  seqV: { int: true, min: 1, max: 100_000 },
};

/** The dims fields of a dataset's dims and lengths. */
export function dimFields(dims: { inputDims: Record<'l' | 'a' | 'v', number>; seqLen: Record<'l' | 'a' | 'v', number> }): Record<keyof typeof DIM_RULES, number> {
  const { inputDims: d, seqLen: s } = dims;
  return { dimL: d.l, dimA: d.a, dimV: d.v, seqL: s.l, seqA: s.a, seqV: s.v };
}
