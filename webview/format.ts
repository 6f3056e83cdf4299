// Display formatting shared by the list, the compare view and the clusters view. Pure: unit-tested on Node.

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatDistance(d: number): string {
  if (!Number.isFinite(d)) return '?';
  return d < 1 ? d.toFixed(3) : d.toFixed(2);
}

export function formatResolution(w: number, h: number): string {
  return w > 0 && h > 0 ? `${w}×${h}` : 'unknown size';
}

/** The folder part of a POSIX relative path; '.' for files at the root. */
export function folderOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '.' : path.slice(0, i);
}

export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}
