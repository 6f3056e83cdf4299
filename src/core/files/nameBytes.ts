/**
 * File names are bytes on POSIX, not text. Every legal name must survive the trip through a manifest
 * (a JSON string): bytes that are valid UTF-8 are their characters; each byte that is not part of valid
 * UTF-8 becomes the lone surrogate U+DC80 + byte (U+DC80-U+DCFF). This is Python's "surrogateescape"
 * (PEP 383), so `os.listdir`, `os.fsencode` and `open()` in a training script see exactly the names the
 * manifest holds, and JSON writes them as `\udcXX` escapes. docs/manifest.md documents it.
 */

const LOW = 0xdc80;

/** Whether a name holds escaped (non-UTF-8) bytes, so it must go to the file system as a Buffer. */
export function hasEscapedBytes(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= LOW && c <= 0xdcff && !(i > 0 && isHigh(name.charCodeAt(i - 1)))) return true;
  }
  return false;
}

const isHigh = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

/** Decodes a name's bytes: UTF-8 where valid, U+DC80+byte for every other byte. */
export function nameFromBytes(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let n = 0;
    let cp = 0;
    let min = 0;
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    } else if (c >= 0xc2 && c <= 0xdf) [n, cp, min] = [1, c & 0x1f, 0x80];
    else if (c >= 0xe0 && c <= 0xef) [n, cp, min] = [2, c & 0x0f, 0x800];
    else if (c >= 0xf0 && c <= 0xf4) [n, cp, min] = [3, c & 0x07, 0x10000];
    let ok = n > 0 && i + n < b.length;
    for (let k = 1; ok && k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (d & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are not valid UTF-8.
    if (ok && (cp < min || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)) ok = false;
    if (ok) {
      out += String.fromCodePoint(cp);
      i += n + 1;
    } else {
      out += String.fromCharCode(LOW + c - 0x80);
      i++;
    }
  }
  return out;
}

/** Encodes a name back to the bytes it came from (the inverse of nameFromBytes). */
export function nameToBytes(name: string): Buffer {
  if (!hasEscapedBytes(name)) return Buffer.from(name, 'utf8');
  const parts: Buffer[] = [];
  let run = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const paired = isHigh(c) && i + 1 < name.length && name.charCodeAt(i + 1) >= 0xdc00 && name.charCodeAt(i + 1) <= 0xdfff;
    if (paired) {
      run += name.slice(i, i + 2);
      i++;
    } else if (c >= LOW && c <= 0xdcff) {
      parts.push(Buffer.from(run, 'utf8'), Buffer.from([c - LOW + 0x80]));
      run = '';
    } else run += name[i];
  }
  parts.push(Buffer.from(run, 'utf8'));
  return Buffer.concat(parts);
}

/** A path for node:fs: the string itself, or its bytes when it holds escaped ones (a string would be re-encoded as U+FFFD). */
export function fsPath(path: string): string | Buffer {
  return hasEscapedBytes(path) ? nameToBytes(path) : path;
}
