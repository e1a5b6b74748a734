/**
 * Features are only comparable when the same extractor made them: a model trained on extracted
 * features records the extractor stamps, and refuses data whose stamps differ.
 */
import type { ExtractorStamp, ExtractorStamps } from '#contract/extract';
import { MODALITIES } from '#contract/dataset';
import { DarError } from '../errors';

/** Key order never matters when settings are compared. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const describe = (s: ExtractorStamp | undefined): string => (s ? `${s.id}@${s.version} ${canonical(s.settings)}` : 'features not extracted by DAR Studio');

/**
 * EXTRACTOR_MISMATCH unless `data` comes from the extractors a model was `trained` with. A model
 * with no stamps (trained on MMSA or hand-made features) accepts anything its shapes allow.
 */
export function checkExtractors(trained: ExtractorStamps | undefined, data: ExtractorStamps | undefined, against = 'the model was trained on'): void {
  if (!trained) return;
  const problems = MODALITIES.filter((m) => !data || canonical(trained[m]) !== canonical(data[m])).map(
    (m) => `${m}: wanted ${describe(trained[m])}, got ${describe(data?.[m])}`,
  );
  if (problems.length) throw new DarError('EXTRACTOR_MISMATCH', `the features come from other extractors than ${against} (${problems.join('; ')})`);
}
