/**
 * The one container for the files in `.media-dedupe` that must never be read damaged: a sealed line is
 * `<json>\t<crc32 of json>` (JSON.stringify never emits a raw tab or newline, so the split is unambiguous),
 * and a torn or bit-flipped line fails its check instead of feeding wrong data into a scan. The hash cache
 * is a sealed header line and one sealed line per file (appended as files are hashed); the re-scan
 * snapshot is a sealed header line followed by a body whose length and CRC-32 the header carries.
 */
import { crc32, crc32Hex, crcHex } from './crc32.js';

/** A sealed line for `json`, newline included. */
export const seal = (json: string): string => `${json}\t${crc32Hex(json)}\n`;

/** The value of a sealed line (without its newline), or undefined when it is damaged. */
export function unseal(line: string): unknown {
  const tab = line.lastIndexOf('\t');
  if (tab <= 0) return undefined;
  const json = line.slice(0, tab);
  if (crc32Hex(json) !== line.slice(tab + 1)) return undefined;
  try {
    return JSON.parse(json);
  } catch {
    return undefined;
  }
}

/**
 * A file in parts: the sealed header (with the body's length and CRC-32 as `body`), then the body's parts
 * as they are (never joined in memory): what writeFileAtomic takes.
 */
export function sealFile(header: Readonly<Record<string, unknown>>, body: readonly Uint8Array[]): (string | Uint8Array)[] {
  let crc = 0;
  let length = 0;
  for (const b of body) {
    crc = crc32(b, crc);
    length += b.length;
  }
  return [seal(JSON.stringify({ ...header, body: [length, crcHex(crc)] })), ...body];
}

/** The header and body of a sealed file's bytes, or undefined when the header or the body is damaged, torn or missing. */
export function unsealFile(bytes: Buffer): { header: Record<string, unknown>; body: Buffer } | undefined {
  const nl = bytes.indexOf(10);
  if (nl < 0) return undefined;
  const header = unseal(bytes.toString('utf8', 0, nl));
  if (typeof header !== 'object' || header === null || Array.isArray(header)) return undefined;
  const check = (header as { body?: unknown }).body;
  const body = bytes.subarray(nl + 1);
  if (!Array.isArray(check) || check[0] !== body.length || check[1] !== crcHex(crc32(body))) return undefined;
  return { header: header as Record<string, unknown>, body };
}
