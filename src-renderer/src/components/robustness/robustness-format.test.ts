import { describe, expect, it } from 'vitest';
import { fixtureEntry, fixtureReport } from '../../../../testing/renderer/fixture-report';
import { cellText, driftText, formatMetric, mergeCsv, mergeMarkdown, modelName, modelTag, reportRates, scoreValue, TABLE_COLUMNS, tableRows } from './robustness-format';

describe('robustness numbers as the view writes them', () => {
  it('writes accuracies and F1 in percent with 2 decimals and MAE and Corr with 4, as dar eval does', () => {
    expect(formatMetric('Non0_acc_2', 0.8947368421052632)).toBe('89.47');
    expect(formatMetric('Has0_F1_score', 0.85)).toBe('85.00');
    expect(formatMetric('MAE', 0.6794703394174576)).toBe('0.6795');
    expect(formatMetric('Corr', -0.1)).toBe('-0.1000');
    expect(formatMetric('Corr', null)).toBe('n/a');
  });

  it('puts Has0 before Non0 in the Acc-2 and F1 cells, as the paper does', () => {
    const m = fixtureReport(0.8).mean;
    expect(TABLE_COLUMNS.map((c) => c.title)).toEqual(['Acc-2', 'F1', 'Acc-5', 'Acc-7', 'MAE', 'Corr']);
    expect(cellText(TABLE_COLUMNS[0], m)).toBe(`${(100 * m.Has0_acc_2!).toFixed(2)} / ${(100 * m.Non0_acc_2!).toFixed(2)}`);
  });

  it('shows the mean row, and on demand the robustness area, every rate then each modality removed', () => {
    const report = fixtureReport(0.8);
    expect(tableRows(report, false).map((r) => r.condition)).toEqual(['mean']);
    const rows = tableRows(report, true);
    expect(rows.map((r) => r.condition)).toEqual(['mean', 'area', ...reportRates(report), 'no-l', 'no-a', 'no-v']);
    expect(rows[1].label).toBe('robustness (area)');
    expect(rows[1].metrics.Non0_acc_2).toBe(report.score!.Non0_acc_2.area);
    expect(rows[1].metrics.MAE).toBe(report.score!.MAE.area);
    expect(rows[rows.length - 3].metrics).toBe(report.removed.l);
  });

  it("gives one robustness number per model (Non0 Acc-2's area) and none for a report made before scores", () => {
    const report = fixtureReport(0.8);
    expect(scoreValue(report)).toBeCloseTo(0.8 - 0.3 * 0.45 + 0.02, 12);
    const { score: _drop, ...older } = report;
    expect(scoreValue(older)).toBeNull();
    expect(tableRows(older, true).map((r) => r.condition)).not.toContain('area');
  });

  it('says in one line where the predictions drift as data goes missing, and nothing for an older report', () => {
    const report = fixtureReport(0.8);
    expect(driftText(report)).toBeNull();
    const stats = (mean: number, positive = 0.5) => ({ mean, sd: 1, positive });
    const rates = Object.fromEntries(reportRates(report).map((r) => [r, stats(Number(r) - 0.2, 0.5 + Number(r) / 2)]));
    const drifting = { ...report, predictions: { label: stats(0.058), rates, removed: { l: stats(0), a: stats(0), v: stats(0) }, all: stats(0.74, 1) } };
    expect(driftText(drifting)).toBe('mean prediction −0.20 at 0.0 → +0.70 at 0.9 (95 % ≥ 0), +0.74 with every modality masked; labels +0.06');
  });

  it('names the model kind, then the ablation or the k = 0 baseline, in legends', () => {
    expect(modelTag(fixtureEntry('/r/a.safetensors'))).toBe('DAR');
    expect(modelTag(fixtureEntry('/r/b.safetensors', { train: { k: { l: 0, a: 0, v: 0 }, ablations: [] } as never }))).toBe('DAR k = 0');
    expect(modelTag(fixtureEntry('/r/c.safetensors', { train: { k: { l: 0.3, a: 0.3, v: 0.3 }, ablations: ['no_sim_diff'] } as never }))).toBe('DAR w/o sim+diff');
    expect(modelTag(fixtureEntry('/r/m.safetensors', { modelKind: 'misa' }))).toBe('MISA');
    expect(modelTag(fixtureEntry('/r/s.safetensors', { modelKind: 'self-mm', train: { k: { l: 0, a: 0, v: 0 }, ablations: [] } as never }))).toBe('Self-MM k = 0');
    expect(modelTag(fixtureEntry('/r/l.safetensors', { modelKind: 'lnln' }))).toBe('LNLN');
    expect(modelName(fixtureEntry('/r/run-1.safetensors'))).toBe('run-1');
    expect(modelName(fixtureEntry('/demo/model.safetensors', { source: 'demo' }))).toBe('demo model');
  });
});

describe('exports of several models', () => {
  it('merges CSVs under one header with a model column, quoting names that need it', () => {
    const csv = 'condition,rate\nmissing 0.0,0.0\nmean 0.0-0.9,\n';
    const merged = mergeCsv([{ model: 'a', text: csv }, { model: 'b, "k=0"', text: csv }]).trimEnd().split('\n');
    expect(merged).toEqual([
      'model,condition,rate',
      'a,missing 0.0,0.0',
      'a,mean 0.0-0.9,',
      '"b, ""k=0""",missing 0.0,0.0',
      '"b, ""k=0""",mean 0.0-0.9,',
    ]);
  });

  it('gives each model a titled Markdown section', () => {
    const md = mergeMarkdown([{ model: 'a', text: '| x |\n' }, { model: 'b', text: '| y |\n' }]);
    expect(md).toBe('## a\n\n| x |\n\n## b\n\n| y |\n');
  });
});
