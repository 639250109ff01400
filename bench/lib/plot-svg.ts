/**
 * Two charts side by side as one SVG: wall time against hosts (every form, first and second
 * run) and peak RSS against hosts, both on a log scale of hosts. Pure.
 */
export interface Series {
  label: string;
  color: string;
  dashed?: boolean;
  points: Array<[number, number]>;
}

export interface Chart {
  title: string;
  yLabel: string;
  series: Series[];
  /** Log scale for y (for times that span 1 s to minutes). */
  logY?: boolean;
  /** A horizontal limit line (e.g. the 400 MiB target). */
  limit?: { value: number; label: string };
}

const W = 560;
const H = 400;
const M = { left: 64, right: 16, top: 36, bottom: 96 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function niceMax(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}

function chartSvg(c: Chart, xs: number[], dx: number): string {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const xMin = Math.log(Math.min(...xs));
  const xMax = Math.log(Math.max(...xs));
  const X = (x: number): number => dx + M.left + (xMax === xMin ? pw / 2 : ((Math.log(x) - xMin) / (xMax - xMin)) * pw);
  const ys = c.series.flatMap((s) => s.points.map((p) => p[1])).concat(c.limit ? [c.limit.value] : []).filter(Number.isFinite);
  const yMax = niceMax(Math.max(...ys, 1e-9) * 1.05);
  const yLo = c.logY ? 10 ** Math.floor(Math.log10(Math.min(...ys.filter((y) => y > 0), yMax))) : 0;
  const Y = (y: number): number =>
    M.top + ph - (c.logY ? (Math.log(Math.max(y, yLo)) - Math.log(yLo)) / (Math.log(yMax) - Math.log(yLo)) : y / yMax) * ph;
  const ticks: number[] = [];
  if (c.logY) {
    for (let d = yLo; d <= yMax; d *= 10) for (const m of [1, 2, 5]) if (d * m <= yMax) ticks.push(d * m);
  } else {
    for (let i = 0; i <= 5; i++) ticks.push((yMax / 5) * i);
  }
  const out: string[] = [];
  out.push(`<text x="${dx + W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(c.title)}</text>`);
  for (const v of ticks) {
    out.push(`<line x1="${dx + M.left}" x2="${dx + W - M.right}" y1="${Y(v)}" y2="${Y(v)}" stroke="#ddd"/>`);
    out.push(`<text x="${dx + M.left - 6}" y="${Y(v) + 4}" text-anchor="end" font-size="11">${+v.toFixed(1)}</text>`);
  }
  for (const x of xs) {
    out.push(`<line x1="${X(x)}" x2="${X(x)}" y1="${M.top}" y2="${M.top + ph}" stroke="#eee"/>`);
    out.push(`<text x="${X(x)}" y="${M.top + ph + 16}" text-anchor="middle" font-size="11">${x}</text>`);
  }
  out.push(`<text x="${dx + M.left + pw / 2}" y="${M.top + ph + 34}" text-anchor="middle" font-size="12">hosts (log scale)</text>`);
  out.push(`<text transform="translate(${dx + 16},${M.top + ph / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(c.yLabel)}</text>`);
  out.push(`<rect x="${dx + M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#444"/>`);
  if (c.limit) {
    out.push(`<line x1="${dx + M.left}" x2="${dx + W - M.right}" y1="${Y(c.limit.value)}" y2="${Y(c.limit.value)}" stroke="#c00" stroke-dasharray="2,3"/>`);
    out.push(`<text x="${dx + W - M.right - 4}" y="${Y(c.limit.value) - 4}" text-anchor="end" font-size="11" fill="#c00">${esc(c.limit.label)}</text>`);
  }
  for (const s of c.series) {
    const pts = s.points.filter((p) => Number.isFinite(p[1])).sort((a, b) => a[0] - b[0]);
    if (!pts.length) continue;
    const dash = s.dashed ? ' stroke-dasharray="6,4"' : '';
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${dash} points="${pts.map((p) => `${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) out.push(`<circle cx="${X(p[0]).toFixed(1)}" cy="${Y(p[1]).toFixed(1)}" r="3" fill="${s.color}"/>`);
  }
  // Legend under the chart, two columns.
  c.series.forEach((s, i) => {
    const lx = dx + M.left + (i % 2) * (pw / 2);
    const ly = M.top + ph + 52 + Math.floor(i / 2) * 16;
    const dash = s.dashed ? ' stroke-dasharray="6,4"' : '';
    out.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${dash}/>`);
    out.push(`<text x="${lx + 30}" y="${ly}" font-size="11">${esc(s.label)}</text>`);
  });
  return out.join('\n');
}

/** Splits text into lines of at most `max` characters at spaces (a footnote wider than the charts). */
function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > max) lines.push(line), (line = word);
    else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

export function renderCharts(charts: Chart[], footnote: string): string {
  const xs = [...new Set(charts.flatMap((c) => c.series.flatMap((s) => s.points.map((p) => p[0]))))].sort((a, b) => a - b);
  const width = W * charts.length;
  const body = charts.map((c, i) => chartSvg(c, xs, i * W)).join('\n');
  // ~5.5 px a character at font-size 10.
  const notes = wrap(footnote, Math.floor((width - 16) / 5.5));
  const text = notes.map((l, i) => `<text x="8" y="${H + 12 + i * 13}" font-size="10" fill="#555">${esc(l)}</text>`).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${H + 8 + notes.length * 13}" font-family="DejaVu Sans, sans-serif">
<rect width="100%" height="100%" fill="white"/>
${body}
${text}
</svg>
`;
}
