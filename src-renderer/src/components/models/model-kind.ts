/**
 * How the studio names each model kind (DAR and the baselines of issue #14), and the kind of a
 * checkpoint: one written before checkpoints named their model is DAR.
 */
import { MODEL_KINDS, type ModelKind } from '#contract/model';

/** The label each kind goes by in legends, tables and forms. */
export const MODEL_LABELS: Readonly<Record<ModelKind, string>> = { dar: 'DAR', misa: 'MISA', 'self-mm': 'Self-MM', lnln: 'LNLN' };

/** A checkpoint's (or run's) model kind; none named is DAR. */
export function kindOf(entry: { modelKind?: ModelKind }): ModelKind {
  return entry.modelKind ?? 'dar';
}

/** The label of a kind, or of a checkpoint's kind. */
export function kindLabel(kind: ModelKind | { modelKind?: ModelKind }): string {
  return MODEL_LABELS[typeof kind === 'string' ? kind : kindOf(kind)];
}

/** True for a known kind name (a string from a file or a query). */
export function isModelKind(s: string): s is ModelKind {
  return (MODEL_KINDS as readonly string[]).includes(s);
}
