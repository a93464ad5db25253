/** Two small SVG plots for the HTML report, drawn by hand: no chart library, no script, no external asset. */

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const W = 640;
const H = 220;
const PAD = { left: 56, right: 16, top: 16, bottom: 40 };

function niceMax(max: number): number {
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  return Math.ceil(max / magnitude) * magnitude;
}

function axes(yMax: number, yLabel: string, xLabel: string): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = PAD.top + (1 - f) * (H - PAD.top - PAD.bottom);
    return `<line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" class="grid"/><text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end">${Math.round(f * yMax)}</text>`;
  });
  return [
    ...ticks,
    `<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" text-anchor="middle">${esc(yLabel)}</text>`,
    `<text x="${(W + PAD.left) / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>`,
  ].join('');
}

/** Histogram of per-pod create→ready latencies (ms), with the p95 marked. */
export function latencyHistogram(latenciesMs: number[], p95?: number): string {
  const title = 'Pod create → Ready latency';
  if (latenciesMs.length === 0) return `<figure><figcaption>${title}: no pod became ready</figcaption></figure>`;
  const max = niceMax(Math.max(...latenciesMs));
  const bins = Math.min(20, Math.max(5, Math.ceil(Math.sqrt(latenciesMs.length)) * 2));
  const counts = new Array<number>(bins).fill(0);
  for (const v of latenciesMs) counts[Math.min(bins - 1, Math.floor((v / max) * bins))]!++;
  const yMax = niceMax(Math.max(...counts));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const bars = counts.map((c, i) => {
    const h = (c / yMax) * plotH;
    const x = PAD.left + (i * plotW) / bins;
    const lo = Math.round((i * max) / bins);
    const hi = Math.round(((i + 1) * max) / bins);
    return `<rect class="bar" x="${x + 1}" y="${PAD.top + plotH - h}" width="${plotW / bins - 2}" height="${h}"><title>${lo}–${hi} ms: ${c} pods</title></rect>`;
  });
  const marker =
    p95 === undefined
      ? ''
      : `<line class="p95" x1="${PAD.left + (p95 / max) * plotW}" x2="${PAD.left + (p95 / max) * plotW}" y1="${PAD.top}" y2="${PAD.top + plotH}"/><text class="p95" x="${PAD.left + (p95 / max) * plotW + 4}" y="${PAD.top + 12}">p95 ${Math.round(p95)} ms</text>`;
  return `<figure><figcaption>${title} (${latenciesMs.length} pods)</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${title}" data-plot="pod-ready-histogram">${axes(yMax, 'pods', `latency (ms), 0–${max}`)}${bars.join('')}${marker}</svg></figure>`;
}

export interface TrendPoint {
  label: string;
  value: number;
  current: boolean;
}

/** A metric's value across the ledger's runs, oldest first; the current run drawn larger and highlighted. */
export function trendChart(metric: string, points: TrendPoint[]): string {
  const title = `Baseline trend: ${metric} p95`;
  if (points.length === 0) return `<figure><figcaption>${esc(title)}: no history yet</figcaption></figure>`;
  const yMax = niceMax(Math.max(...points.map((p) => p.value)));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length === 1 ? plotW / 2 : (i * plotW) / (points.length - 1));
  const y = (v: number) => PAD.top + plotH - (v / yMax) * plotH;
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const dots = points.map(
    (p, i) =>
      `<circle class="${p.current ? 'current' : 'dot'}" cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="${p.current ? 6 : 3.5}"><title>${esc(p.label)}: ${Math.round(p.value)} ms${p.current ? ' (this run)' : ''}</title></circle>`,
  );
  return `<figure><figcaption>${esc(title)} over ${points.length} runs (this run highlighted)</figcaption><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" data-plot="baseline-trend">${axes(yMax, 'ms', 'runs, oldest → newest')}<path class="line" d="${path}"/>${dots.join('')}</svg></figure>`;
}

export { esc };
