/**
 * A bounds-checked cursor over a file's bytes for the TypeScript decoders (BMP, Netpbm, PFM). Reading
 * past the end throws FormatFailure('truncated'), as OpenCV's byte streams do: cv2.imread then returns
 * nothing, and so the file is reported as truncated rather than decoded with a made-up tail.
 */

/** Why a TypeScript decoder gave up; decode.ts turns it into a MediaError with the file's path. */
export class FormatFailure extends Error {
  constructor(
    /** truncated: the data ends early; corrupt: a value OpenCV rejects; unsupported: a variant cv2.imread does not read. */
    readonly kind: 'truncated' | 'corrupt' | 'unsupported',
    message: string,
  ) {
    super(message);
    this.name = 'FormatFailure';
  }
}

export class ByteReader {
  pos = 0;
  constructor(readonly b: Uint8Array) {}

  private need(n: number): void {
    if (this.pos < 0 || this.pos + n > this.b.length) throw new FormatFailure('truncated', `the file ends at byte ${this.b.length}, before its data does`);
  }

  u8(): number {
    this.need(1);
    return this.b[this.pos++];
  }

  /** Little-endian 16-bit, unsigned. */
  u16(): number {
    this.need(2);
    const v = this.b[this.pos] | (this.b[this.pos + 1] << 8);
    this.pos += 2;
    return v;
  }

  /** Little-endian 32-bit, signed (OpenCV's getDWord returns an int). */
  i32(): number {
    this.need(4);
    const p = this.pos;
    this.pos += 4;
    return this.b[p] | (this.b[p + 1] << 8) | (this.b[p + 2] << 16) | (this.b[p + 3] << 24);
  }

  /** `n` bytes as a view (no copy). */
  bytes(n: number): Uint8Array {
    this.need(n);
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number): void {
    this.pos += n;
  }
}

/** A format's size function from its header reader (for the pixel limit): undefined when the header cannot be read. */
export function sizeFrom(read: (b: Uint8Array) => { width: number; height: number }): (b: Uint8Array) => { width: number; height: number } | undefined {
  return (b) => {
    try {
      const h = read(b);
      return { width: h.width, height: h.height };
    } catch {
      return undefined;
    }
  };
}
