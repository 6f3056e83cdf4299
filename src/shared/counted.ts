/**
 * How every count is written, in the gallery, the status bar, the scan's messages and the pickers: one
 * format, thousands separated ("6,214"; the header once said "6214" where the status bar said "6,214").
 */
export const formatCount = (x: number): string => x.toLocaleString('en-US');

/**
 * "1 pair", "6,214 pairs", "1 identical copy", "2 identical copies": a count (formatCount) with its noun,
 * plural unless the count is one. The one plural rule of the gallery's and the extension's texts.
 */
export function counted(x: number, one: string, many = `${one}s`): string {
  return `${formatCount(x)} ${x === 1 ? one : many}`;
}
