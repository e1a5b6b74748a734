/**
 * The small multiples as one file: a shared legend on top, the charts in a grid below. One
 * layout feeds both the SVG (each chart's own SVG nested in place, so it stays vector) and the
 * PNG (each chart's bitmap drawn onto one canvas).
 */

/** A legend entry of the exported figure. */
export interface LegendItem {
  name: string;
  colour: string;
}

/** Where everything goes, in CSS pixels. */
export interface FigureLayout {
  width: number;
  height: number;
  title: { x: number; y: number; text: string };
  legend: { x: number; y: number; name: string; colour: string }[];
  cells: { x: number; y: number; width: number; height: number }[];
}

const PAD = 16;
const LINE = 20;
const SWATCH = 14;
/** Rough width of a character at the legend's 12 px; only used to wrap legend lines. */
const CHAR_W = 7;

/** Lays out `count` equal cells of `cell` size in `columns`, under a title and a wrapped legend. */
export function figureLayout(count: number, cell: { width: number; height: number }, columns: number, title: string, legend: readonly LegendItem[]): FigureLayout {
  const cols = Math.max(1, Math.min(columns, count));
  const width = PAD * 2 + cols * cell.width;
  const items: FigureLayout['legend'] = [];
  let x = PAD;
  let y = PAD + LINE * 1.6;
  for (const item of legend) {
    const w = SWATCH + 6 + item.name.length * CHAR_W + 18;
    if (x + w > width - PAD && x > PAD) {
      x = PAD;
      y += LINE;
    }
    items.push({ x, y, name: item.name, colour: item.colour });
    x += w;
  }
  const top = y + LINE;
  const cells = Array.from({ length: count }, (_, i) => ({
    x: PAD + (i % cols) * cell.width,
    y: top + Math.floor(i / cols) * cell.height,
    width: cell.width,
    height: cell.height,
  }));
  const rows = Math.ceil(count / cols);
  return { width, height: top + rows * cell.height + PAD, title: { x: PAD, y: PAD + 4, text: title }, legend: items, cells };
}

const escapeXml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Places one chart's SVG document at (x, y) by giving its root element a position. */
function placeSvg(svg: string, x: number, y: number): string {
  const body = svg.replace(/^<\?xml[^>]*>\s*/, '');
  return body.replace(/^<svg\b/, `<svg x="${x}" y="${y}"`);
}

/** The figure as one SVG document: title, legend and every chart (vector, as rendered). */
export function composeSvg(layout: FigureLayout, charts: readonly string[], colours: { background: string; text: string }): string {
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}">`,
    `<rect width="100%" height="100%" fill="${escapeXml(colours.background)}"/>`,
    `<text x="${layout.title.x}" y="${layout.title.y + 12}" font-family="sans-serif" font-size="14" font-weight="600" fill="${escapeXml(colours.text)}">${escapeXml(layout.title.text)}</text>`,
  ];
  for (const l of layout.legend) {
    parts.push(`<rect x="${l.x}" y="${l.y}" width="${SWATCH}" height="4" rx="2" fill="${escapeXml(l.colour)}"/>`);
    parts.push(`<text x="${l.x + SWATCH + 6}" y="${l.y + 6}" font-family="sans-serif" font-size="12" fill="${escapeXml(colours.text)}">${escapeXml(l.name)}</text>`);
  }
  layout.cells.forEach((c, i) => charts[i] && parts.push(placeSvg(charts[i], c.x, c.y)));
  parts.push('</svg>');
  return parts.join('\n');
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('a chart image did not load'));
    img.src = url;
  });
}

/** The figure as one PNG (at `scale` x the CSS size): title, legend and every chart's bitmap. */
export async function composePng(layout: FigureLayout, charts: readonly string[], colours: { background: string; text: string }, scale = 2): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = layout.width * scale;
  canvas.height = layout.height * scale;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.fillStyle = colours.background;
  ctx.fillRect(0, 0, layout.width, layout.height);
  ctx.fillStyle = colours.text;
  ctx.font = '600 14px sans-serif';
  ctx.fillText(layout.title.text, layout.title.x, layout.title.y + 12);
  ctx.font = '12px sans-serif';
  for (const l of layout.legend) {
    ctx.fillStyle = l.colour;
    ctx.fillRect(l.x, l.y, SWATCH, 4);
    ctx.fillStyle = colours.text;
    ctx.fillText(l.name, l.x + SWATCH + 6, l.y + 6);
  }
  const images = await Promise.all(charts.map(loadImage));
  layout.cells.forEach((c, i) => images[i] && ctx.drawImage(images[i], c.x, c.y, c.width, c.height));
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no PNG'))), 'image/png'));
}

/** Saves a Blob as a file through an <a download> link (the browser's download, Electron's save). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoking at once can cancel a download that has not started reading the Blob yet.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
