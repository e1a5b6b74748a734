import { describe, expect, it } from 'vitest';
import { createChartDriver, type ChartOption } from './chart-driver';
import { createFrameQueue } from './frame-queue';

/** A fake requestAnimationFrame: callbacks asked during a frame run in the next one. */
function frames(): { request: (cb: () => void) => void; runAll(): void } {
  let waiting: (() => void)[] = [];
  return {
    request: (cb) => void waiting.push(cb),
    runAll() {
      for (let i = 0; i < 100 && waiting.length; i++) {
        const now = waiting;
        waiting = [];
        for (const cb of now) cb();
      }
    },
  };
}

/** A chart that records what reaches it. */
function fakeChart(): { calls: string[]; setOption(o: ChartOption, opts: { notMerge?: boolean }): void; resize(): void; dispose(): void } {
  const calls: string[] = [];
  return {
    calls,
    setOption: (o, opts) => void calls.push(`${opts.notMerge ? 'full' : 'patch'} ${JSON.stringify(o)}`),
    resize: () => void calls.push('resize'),
    dispose: () => void calls.push('dispose'),
  };
}

function setup(staggered: boolean) {
  const f = frames();
  const chart = fakeChart();
  let data = 0;
  const driver = createChartDriver({
    create: () => chart,
    option: () => ({ xAxis: {}, yAxis: {}, series: [{ type: 'line', data }] }),
    queue: createFrameQueue(f.request),
    staggered,
  });
  return { f, chart, driver, setData: (d: number) => void (data = d) };
}

describe('one chart driven through its steps', () => {
  it('drops a patch that arrives before the first full draw, which then draws the newest data', () => {
    const { f, chart, driver, setData } = setup(true);
    driver.mount();
    setData(1);
    driver.patch(() => ({ series: [{ data: 1 }] }));
    f.runAll();
    // A patch merged into the empty chart would give ECharts axes and series it cannot render.
    expect(chart.calls).toEqual(['full {"xAxis":{},"yAxis":{},"series":[{"type":"line","data":1}]}']);
  });

  it('merges the newest waiting patch after the first draw, reading its data when applied', () => {
    const { f, chart, driver } = setup(true);
    driver.mount();
    f.runAll();
    let data = 2;
    driver.patch({ series: [{ data: 'old' }] });
    driver.patch(() => ({ series: [{ data }] }));
    data = 3;
    f.runAll();
    expect(chart.calls.slice(1)).toEqual(['patch {"series":[{"data":3}]}']);
  });

  it('drops a waiting patch when the chart is drawn in full again', () => {
    const { f, chart, driver, setData } = setup(true);
    driver.mount();
    f.runAll();
    driver.patch({ series: [{ data: 'stale' }] });
    setData(4);
    driver.redraw();
    f.runAll();
    expect(chart.calls.slice(1)).toEqual(['full {"xAxis":{},"yAxis":{},"series":[{"type":"line","data":4}]}']);
  });

  it('does nothing more once disposed, even with steps waiting', () => {
    const { f, chart, driver } = setup(true);
    driver.mount();
    f.runAll();
    driver.patch({ series: [] });
    driver.resize();
    driver.dispose();
    f.runAll();
    expect(chart.calls.slice(1)).toEqual(['dispose']);
    expect(driver.chart).toBeNull();
  });

  it('unstaggered, draws on mount and applies a patch at once', () => {
    const { chart, driver } = setup(false);
    driver.patch({ series: [{ data: 'before mount' }] });
    driver.mount();
    driver.patch({ series: [{ data: 5 }] });
    expect(chart.calls).toEqual(['full {"xAxis":{},"yAxis":{},"series":[{"type":"line","data":0}]}', 'patch {"series":[{"data":5}]}']);
  });
});
