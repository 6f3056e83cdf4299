import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { fsPath } from './nameBytes.js';

/** Files above this are hashed as a stream rather than read whole, to keep memory flat. */
const WHOLE_READ_LIMIT = 64 << 20;

/**
 * SHA-256 of a file's bytes, lowercase hex: the manifest's content fingerprint, so any reader can check
 * a file against it with one standard call (Python: hashlib.sha256(data).hexdigest()). Images get it
 * from the hashing pipeline, over the bytes it decoded; this reads the file for videos, which ffmpeg
 * reads itself. With SHA extensions it costs about 0.5 ms per MB.
 */
export async function sha256File(path: string): Promise<string> {
  const p = fsPath(path); // a name that is not UTF-8 is opened by its bytes
  if (statSync(p).size <= WHOLE_READ_LIMIT) return createHash('sha256').update(readFileSync(p)).digest('hex');
  const h = createHash('sha256');
  for await (const chunk of createReadStream(p, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}
