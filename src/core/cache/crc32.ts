import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function jsCrc32(s: string): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  const bytes = Buffer.from(s, 'utf8');
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// zlib.crc32 (Node >= 20.15) is native; older 20.x runtimes fall back to the table version.
const native = (zlib as unknown as { crc32?: (data: string) => number }).crc32;

/** CRC-32 of a string's UTF-8 bytes, as 8 hex digits: a per-line check so a damaged cache line is never used. */
export function crc32Hex(s: string): string {
  const v = native ? native(s) >>> 0 : jsCrc32(s);
  return v.toString(16).padStart(8, '0');
}

export const _jsCrc32ForTest = jsCrc32;
