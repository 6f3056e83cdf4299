/** Plain-text tables for `npm run bench`: readable in a terminal and in a CI log. */
export function formatTable(title: string, headers: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const isNum = headers.map((_, i) => rows.every((r) => typeof r[i] === 'number' || r[i] === '' || r[i] === '-'));
  const line = (r: readonly string[]): string =>
    '| ' + r.map((c, i) => (isNum[i] ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i]))).join(' | ') + ' |';
  const sep = '|' + widths.map((w, i) => (isNum[i] ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|';
  return [`\n${title}\n`, line(headers), sep, ...cells.map(line)].join('\n') + '\n';
}

/** A share as a percentage with two decimals; '-' when there is nothing to divide (0 of 0). */
export function pct(x: number): string {
  return Number.isNaN(x) ? '-' : `${(x * 100).toFixed(2)}%`;
}

export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  const abs = Math.abs(n);
  return abs >= 100 ? Math.round(n).toLocaleString('en-US') : abs >= 1 ? n.toFixed(2) : n.toFixed(3);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
