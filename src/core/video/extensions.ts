/** File extensions the scan treats as video (not .ts: TypeScript sources far outnumber MPEG-TS files in folders people scan). An animated GIF is a video too, see isAnimatedGif. */
export const VIDEO_EXTENSIONS: readonly string[] = ['mp4', 'm4v', 'mov', 'mkv', 'webm', 'avi', 'mpeg', 'mpg', 'ogv', 'ogg', 'wmv', 'flv', '3gp', 'mts', 'm2ts'];

const SET = new Set(VIDEO_EXTENSIONS);

/** By extension only (case-insensitive). GIFs are decided by content: isAnimatedGif. */
export function isVideoPath(path: string): boolean {
  const dot = path.lastIndexOf('.');
  return dot >= 0 && SET.has(path.slice(dot + 1).toLowerCase());
}

/**
 * True when a GIF has more than one image: such a file is hashed as a video (frame by frame), a single-image
 * GIF as an image. Walks the GIF block structure (no decoding), stopping at the second image descriptor.
 */
export function isAnimatedGif(bytes: Uint8Array): boolean {
  const b = bytes;
  if (b.length < 13 || b[0] !== 0x47 || b[1] !== 0x49 || b[2] !== 0x46) return false; // "GIF"
  let p = 13;
  if (b[10] & 0x80) p += 3 * (1 << ((b[10] & 7) + 1)); // global colour table
  let images = 0;
  const skipSubBlocks = (): boolean => {
    while (p < b.length) {
      const n = b[p++];
      if (n === 0) return true;
      p += n;
    }
    return false;
  };
  while (p < b.length) {
    const tag = b[p++];
    if (tag === 0x2c) {
      // image descriptor: 9 bytes, optional local colour table, LZW minimum code size, data sub-blocks
      if (++images > 1) return true;
      if (p + 9 > b.length) return false;
      const packed = b[p + 8];
      p += 9;
      if (packed & 0x80) p += 3 * (1 << ((packed & 7) + 1));
      p++;
      if (!skipSubBlocks()) return false;
    } else if (tag === 0x21) {
      p++; // extension label
      if (!skipSubBlocks()) return false;
    } else {
      return false; // 0x3b trailer or garbage
    }
  }
  return false;
}
