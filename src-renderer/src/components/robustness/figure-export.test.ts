import { describe, expect, it } from 'vitest';
import { composeSvg, figureLayout } from './figure-export';

const chart = (w: number, h: number, mark: string): string =>
  `<svg width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}"><g id="${mark}"/></svg>`;

describe('the exported figure', () => {
  it('lays eight charts out in two rows of four under the title and legend', () => {
    const l = figureLayout(8, { width: 300, height: 200 }, 4, 'T', [{ name: 'a', colour: '#f00' }]);
    expect(l.cells).toHaveLength(8);
    expect(new Set(l.cells.map((c) => c.y)).size).toBe(2);
    expect(l.cells[4].x).toBe(l.cells[0].x);
    expect(l.cells[0].y).toBeGreaterThan(l.legend[0].y);
    expect(l.width).toBe(4 * 300 + 32);
    expect(l.height).toBeGreaterThanOrEqual(l.cells[7].y + 200);
  });

  it('wraps a long legend onto more lines instead of running off the figure', () => {
    const legend = Array.from({ length: 12 }, (_, i) => ({ name: `a rather long model name ${i}`, colour: '#0f0' }));
    const l = figureLayout(8, { width: 200, height: 150 }, 4, 'T', legend);
    expect(new Set(l.legend.map((x) => x.y)).size).toBeGreaterThan(1);
    expect(Math.max(...l.legend.map((x) => x.x))).toBeLessThan(l.width);
  });

  it('nests every chart in one SVG at its cell and escapes legend text', () => {
    const l = figureLayout(2, { width: 100, height: 80 }, 4, 'Fig <1>', [{ name: 'a & b', colour: '#f00' }]);
    const svg = composeSvg(l, [chart(100, 80, 'c0'), `<?xml version="1.0"?>${chart(100, 80, 'c1')}`], { background: '#fff', text: '#000' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<svg\b/g)).toHaveLength(3);
    expect(svg.match(/<\/svg>/g)).toHaveLength(3);
    expect(svg).toContain(`<svg x="${l.cells[1].x}" y="${l.cells[1].y}" width="100"`);
    expect(svg).not.toContain('<?xml');
    expect(svg).toContain('a &amp; b');
    expect(svg).toContain('Fig &lt;1&gt;');
  });
});
