import { readFile } from 'node:fs/promises';
import { parseCsvRecords } from '../../engine/data/feature-files/csv';
import { DarError } from '../../engine/errors';
import { METRIC_KEYS, computeMetrics } from '../../engine/eval/metrics';
import type { Metrics } from '../../engine/eval/metrics';
import { positional } from '../args';
import type { Command } from '../command';
import { JSON_FLAG } from '../flags';

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Labels and predictions read from a CSV with a `label,prediction` header (any order, extra columns ignored). */
export async function readPredictionCsv(path: string): Promise<{ label: Float64Array; prediction: Float64Array }> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new DarError('FILE_NOT_FOUND', `no such file: ${path}`);
    throw new DarError('FILE_UNREADABLE', `${path}: ${err.message}`);
  });
  const [header, ...rows] = parseCsvRecords(text, path);
  if (!header) throw new DarError('DATASET_EMPTY', `${path}: no header and no rows (expected a "label,prediction" header)`);
  const names = header.fields.map((f) => f.trim());
  const cols = (['label', 'prediction'] as const).map((name) => {
    const k = names.indexOf(name);
    if (k < 0) throw new DarError('CSV_MALFORMED', `${path}: line ${header.line}: expected a "${name}" column, got columns ${names.join(',')}`);
    return k;
  });
  if (rows.length === 0) throw new DarError('DATASET_EMPTY', `${path}: no rows after the header`);
  const out = { label: new Float64Array(rows.length), prediction: new Float64Array(rows.length) };
  rows.forEach((row, i) => {
    (['label', 'prediction'] as const).forEach((name, c) => {
      const raw = row.fields[cols[c]];
      if (raw === undefined) throw new DarError('CSV_MALFORMED', `${path}: line ${row.line}: no "${name}" value (${row.fields.length} fields)`);
      const s = raw.trim();
      if (!DECIMAL.test(s)) throw new DarError('CSV_MALFORMED', `${path}: line ${row.line}: ${name}: expected a finite number, got "${raw}"`);
      out[name][i] = Number(s);
    });
  });
  return out;
}

const PERCENT = new Set<string>(['Has0_acc_2', 'Has0_F1_score', 'Non0_acc_2', 'Non0_F1_score', 'Mult_acc_5', 'Mult_acc_7']);

function table(m: Metrics, n: number, path: string): string {
  const width = Math.max(...METRIC_KEYS.map((k) => k.length));
  const lines = METRIC_KEYS.map((k) => {
    const v = m[k];
    const shown = v === null ? 'n/a' : v.toFixed(4);
    const pct = v !== null && PERCENT.has(k) ? `  (${(100 * v).toFixed(2)} %)` : '';
    return `  ${k.padEnd(width)}  ${shown.padStart(7)}${pct}`;
  });
  return [`MMSA metrics of ${n} predictions (${path})`, ...lines].join('\n');
}

/** `dar metrics <csv> [--json]`: MMSA's eight metrics of a label,prediction CSV. */
export const metricsCommand: Command<{ json: typeof JSON_FLAG }> = {
  name: 'metrics',
  summary: "MMSA's eight regression metrics of a label,prediction CSV",
  positionals: ['<csv>'],
  flags: { json: JSON_FLAG },
  notes: ['The CSV header must name "label" and "prediction"; other columns are ignored.'],
  async run(args, io) {
    const path = positional(args, 0, 'CSV file (dar metrics <csv>)');
    const { label, prediction } = await readPredictionCsv(path);
    const metrics = computeMetrics(prediction, label);
    if (args.flags.json) {
      const ordered = Object.fromEntries(METRIC_KEYS.map((k) => [k, metrics[k]]));
      io.out(JSON.stringify(ordered));
    } else io.out(table(metrics, label.length, path));
    return 0;
  },
};
