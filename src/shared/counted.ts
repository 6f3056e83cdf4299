/**
 * "1 pair", "2 pairs", "1 identical copy", "2 identical copies": a count with its noun, plural unless the
 * count is one. The one plural rule of the gallery's and the extension's texts; `shown` is how the count is
 * written (the scan's messages write "12,400", the gallery's header the plain number its tests match).
 */
export function counted(x: number, one: string, many = `${one}s`, shown = String(x)): string {
  return `${shown} ${x === 1 ? one : many}`;
}
