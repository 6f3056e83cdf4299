/**
 * Horizontal-pass rows keyed by source row, as OpenCV's separable resizers keep them: the source
 * rows a destination row needs only move forward, so a handful of buffers is enough and each
 * source row is filtered once even when upscaling reuses it for many destination rows.
 */
export class RowCache {
  private readonly keys: number[];
  private readonly rows: Int32Array[];
  private lo = 0; // smallest row the current destination row still needs

  constructor(
    slots: number,
    rowLength: number,
    private readonly fill: (srcRow: number, out: Int32Array) => void,
  ) {
    this.keys = new Array<number>(slots).fill(-1);
    this.rows = Array.from({ length: slots }, () => new Int32Array(rowLength));
  }

  /** Call before fetching the rows of a destination row: rows below `minRow` may be recycled. */
  begin(minRow: number): void {
    this.lo = minRow;
  }

  get(srcRow: number): Int32Array {
    for (let i = 0; i < this.keys.length; i++) if (this.keys[i] === srcRow) return this.rows[i];
    let slot = this.keys.indexOf(-1);
    if (slot < 0) slot = this.keys.findIndex((k) => k < this.lo);
    if (slot < 0) throw new Error('RowCache: no free slot (rows requested out of order)');
    this.keys[slot] = srcRow;
    this.fill(srcRow, this.rows[slot]);
    return this.rows[slot];
  }
}
