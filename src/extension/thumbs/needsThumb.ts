/**
 * Which files get a cached thumbnail instead of being shown as they are: big ones (decoding a 40 MP photo
 * for a 48 px list slot is wasteful) and formats a browser cannot draw. Pure and unit-tested.
 */
const BROWSER_FORMATS = new Set(['jpg', 'jpeg', 'jfif', 'pjpeg', 'png', 'apng', 'gif', 'webp', 'avif', 'svg', 'bmp', 'ico']);

export const THUMB_MIN_BYTES = 256 * 1024;
export const THUMB_MIN_SIDE = 1600;
export const THUMB_SIZE = 256;

export function extensionOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

export function browserCanShow(path: string): boolean {
  return BROWSER_FORMATS.has(extensionOf(path));
}

export function needsThumb(f: {
  readonly path: string;
  readonly kind: string;
  readonly size: number;
  readonly width: number;
  readonly height: number;
}): boolean {
  if (f.kind === 'video') return true; // a poster frame grabbed with ffmpeg: lists cannot show a video
  if (f.kind !== 'image') return false;
  if (!browserCanShow(f.path)) return true;
  return f.size > THUMB_MIN_BYTES || Math.max(f.width, f.height) > THUMB_MIN_SIDE;
}
