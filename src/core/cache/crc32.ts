import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function jsCrc32(s: string | Uint8Array, prev = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  const bytes = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  let crc = (prev ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

// zlib.crc32 (Node >= 20.15) is native; older 20.x runtimes fall back to the table version.
const native = (zlib as unknown as { crc32?: (data: string | Uint8Array, value?: number) => number }).crc32;

/** CRC-32 of a string's UTF-8 bytes or of bytes, continuing from `prev` (the CRC of what came before): data in parts gives the CRC of the whole. */
export function crc32(data: string | Uint8Array, prev = 0): number {
  return native ? native(data, prev) >>> 0 : jsCrc32(data, prev);
}

/** A CRC-32 as 8 hex digits. */
export const crcHex = (crc: number): string => crc.toString(16).padStart(8, '0');

/** CRC-32 of a string's UTF-8 bytes, as 8 hex digits: a per-line check so a damaged cache line is never used. */
export function crc32Hex(s: string): string {
  return crcHex(crc32(s));
}

export const _jsCrc32ForTest = jsCrc32;
