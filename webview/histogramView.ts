/**
 * Pair distances as an SVG histogram with the threshold marked, so a person can see where the
 * duplicates end and the near-misses begin. Clicking a bar filters the list to that distance range.
 */
import { clear, h, svg } from './dom.js';
import { formatDistance } from './format.js';
import { histogram } from './model.js';
import { counted, formatCount } from '../src/shared/counted.js';

const W = 600;
const H = 56;

export class HistogramView {
  readonly root: HTMLElement;
  private readonly chart: SVGSVGElement;
  private readonly caption: HTMLElement;

  constructor(private readonly onPick: (lo: number, hi: number) => void) {
    this.chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', class: 'histogram-chart', role: 'img' });
    this.caption = h('div', { class: 'histogram-caption' });
    this.root = h('div', { class: 'histogram' }, [this.chart as unknown as Node, this.caption]);
  }

  render(distances: readonly number[], threshold: number, range: { min: number | null; max: number | null }): void {
    const bins = histogram(distances, threshold, 48);
    clear(this.chart);
    const bw = W / bins.counts.length;
    const scale = bins.max > 0 ? (H - 4) / Math.sqrt(bins.max) : 0; // sqrt keeps small bins visible next to a tall one
    bins.counts.forEach((count, i) => {
      const lo = (i / bins.counts.length) * bins.hi;
      const hi = ((i + 1) / bins.counts.length) * bins.hi;
      // A bin is in the range by its centre: a range picked from one bin highlights that bin, not its neighbours.
      const mid = (lo + hi) / 2;
      const inRange = (range.min === null || mid >= range.min) && (range.max === null || mid <= range.max);
      const bh = count > 0 ? Math.max(2, Math.sqrt(count) * scale) : 0;
      const bar = svg('rect', { x: i * bw + 0.5, y: H - bh, width: Math.max(1, bw - 1), height: bh, class: `bar${inRange ? '' : ' out'}` });
      const hit = svg('rect', { x: i * bw, y: 0, width: bw, height: H, class: 'hit' });
      const tip = svg('title');
      tip.textContent = `${counted(count, 'pair')} at distance ${formatDistance(lo)}–${formatDistance(hi)}`;
      hit.appendChild(tip);
      // An empty bin filters nothing in: clicking it does nothing.
      if (count > 0) hit.addEventListener('click', () => this.onPick(lo, hi));
      else hit.classList.add('empty');
      this.chart.append(bar, hit);
    });
    const tx = Math.min(W - 1, (threshold / bins.hi) * W);
    this.chart.appendChild(svg('line', { x1: tx, x2: tx, y1: 0, y2: H, class: 'threshold' }));
    this.chart.setAttribute('aria-label', `Histogram of ${formatCount(distances.length)} pair distances; threshold ${formatDistance(threshold)}`);
    this.caption.textContent = `0 · threshold ${formatDistance(threshold)} (red line) · ${formatDistance(bins.hi)} — click a bar to filter`;
  }
}
