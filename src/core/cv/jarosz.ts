/**
 * PDQ's downsampler (facebook/ThreatExchange pdq/cpp/downscaling): repeated 1-D box filters
 * ("Jarosz" tent approximation) followed by centre-point decimation, in float32 with the
 * reference's exact operation order (running sums, divide by the current window size).
 * Writes into Float32Array round every stored value to float32 exactly as the C++ floats do.
 */

/** Window of one pass: half of (old / new), rounded up, so two passes cover one output cell. */
export function jaroszWindowSize(oldDimension: number, newDimension: number): number {
  return Math.floor((oldDimension + 2 * newDimension - 1) / (2 * newDimension));
}

interface Phases {
  p1: number;
  p2: number;
  p3: number;
  p4: number;
}

function phases(length: number, window: number): Phases {
  const half = (window + 2) >> 1; // 7 -> 4, 8 -> 5
  return { p1: half - 1, p2: window - half + 1, p3: length - window, p4: half - 1 };
}

/**
 * box1DFloat along each row (stride 1); the running sum is a float32 kept in a local via fround.
 * With `keep`, only the columns with keep[c] >= 0 are written, to out[row * outCols + keep[c]]:
 * the running sums (and so the values) are unchanged, the rest of the divisions are skipped.
 */
function boxAlongRows(input: Float32Array, out: Float32Array, rows: number, cols: number, window: number, keep?: Int32Array, outCols = cols): void {
  const f32 = Math.fround;
  const { p1, p2, p3, p4 } = phases(cols, window);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    const obase = r * outCols;
    let li = base;
    let ri = base;
    let oc = 0; // output column
    let n = 0;
    let sum = 0;
    for (let i = 0; i < p1; i++, ri++, n++) sum = f32(sum + input[ri]);
    for (let i = 0; i < p2; i++, ri++, oc++) {
      sum = f32(sum + input[ri]);
      n++;
      if (!keep) out[obase + oc] = sum / n;
      else if (keep[oc] >= 0) out[obase + keep[oc]] = sum / n;
    }
    for (let i = 0; i < p3; i++, li++, ri++, oc++) {
      sum = f32(f32(sum + input[ri]) - input[li]);
      if (!keep) out[obase + oc] = sum / n;
      else if (keep[oc] >= 0) out[obase + keep[oc]] = sum / n;
    }
    for (let i = 0; i < p4; i++, li++, oc++) {
      sum = f32(sum - input[li]);
      n--;
      if (!keep) out[obase + oc] = sum / n;
      else if (keep[oc] >= 0) out[obase + keep[oc]] = sum / n;
    }
  }
}

/**
 * box1DFloat down each column. All columns advance together, row by row, so memory is read
 * sequentially; each column still sees exactly the reference's sequence of float operations.
 */
function boxAlongCols(input: Float32Array, out: Float32Array, rows: number, cols: number, window: number, acc: Float32Array): void {
  const { p1, p2, p3, p4 } = phases(rows, window);
  acc.fill(0);
  let li = 0;
  let ri = 0;
  let oi = 0;
  let n = 0;
  for (let i = 0; i < p1; i++, ri++, n++) {
    const b = ri * cols;
    for (let j = 0; j < cols; j++) acc[j] += input[b + j];
  }
  for (let i = 0; i < p2; i++, ri++, oi++) {
    const b = ri * cols;
    const o = oi * cols;
    n++;
    for (let j = 0; j < cols; j++) {
      acc[j] += input[b + j];
      out[o + j] = acc[j] / n;
    }
  }
  for (let i = 0; i < p3; i++, li++, ri++, oi++) {
    const b = ri * cols;
    const l = li * cols;
    const o = oi * cols;
    for (let j = 0; j < cols; j++) {
      acc[j] += input[b + j];
      acc[j] -= input[l + j];
      out[o + j] = acc[j] / n;
    }
  }
  for (let i = 0; i < p4; i++, li++, oi++) {
    const l = li * cols;
    const o = oi * cols;
    n--;
    for (let j = 0; j < cols; j++) {
      acc[j] -= input[l + j];
      out[o + j] = acc[j] / n;
    }
  }
}

/** jaroszFilterFloat: `passes` x (rows then columns); the result ends up back in `buffer1`. */
export function jaroszFilter(
  buffer1: Float32Array,
  buffer2: Float32Array,
  rows: number,
  cols: number,
  windowAlongRows: number,
  windowAlongCols: number,
  passes: number,
): void {
  const acc = new Float32Array(cols);
  for (let i = 0; i < passes; i++) {
    boxAlongRows(buffer1, buffer2, rows, cols, windowAlongRows);
    boxAlongCols(buffer2, buffer1, rows, cols, windowAlongCols, acc);
  }
}

/** decimateFloat: sample the centre of each output cell. */
export function decimate(input: Float32Array, inRows: number, inCols: number, out: Float32Array, outRows: number, outCols: number): void {
  for (let oi = 0; oi < outRows; oi++) {
    const ii = centre(oi, inRows, outRows);
    for (let oj = 0; oj < outCols; oj++) out[oi * outCols + oj] = input[ii * inCols + centre(oj, inCols, outCols)];
  }
}

function centre(o: number, inSize: number, outSize: number): number {
  return Math.trunc(((o + 0.5) * inSize) / outSize);
}

/**
 * jaroszFilter followed by decimate, identical results, less work: the last pass only divides
 * and stores along rows at the sampled columns, and runs the column boxes only for those
 * columns (a running sum's value never depends on what is stored elsewhere).
 * `buffer1` is clobbered; `buffer2` is scratch of the same size.
 */
export function jaroszDownsample(
  buffer1: Float32Array,
  buffer2: Float32Array,
  rows: number,
  cols: number,
  windowAlongRows: number,
  windowAlongCols: number,
  passes: number,
  out: Float32Array,
  outRows: number,
  outCols: number,
): void {
  if (passes < 1) return decimate(buffer1, rows, cols, out, outRows, outCols);
  jaroszFilter(buffer1, buffer2, rows, cols, windowAlongRows, windowAlongCols, passes - 1);
  const acc = new Float32Array(cols);
  const keep = new Int32Array(cols).fill(-1);
  // Several output columns may share a source column when upsampling: gather distinct ones.
  const sampled = [...new Set(Array.from({ length: outCols }, (_, oj) => centre(oj, cols, outCols)))];
  for (let k = 0; k < sampled.length; k++) keep[sampled[k]] = k;
  const narrow = buffer2.subarray(0, rows * sampled.length);
  boxAlongRows(buffer1, narrow, rows, cols, windowAlongRows, keep, sampled.length);
  const colsOut = buffer1.subarray(0, rows * sampled.length);
  boxAlongCols(narrow, colsOut, rows, sampled.length, windowAlongCols, acc.subarray(0, sampled.length));
  for (let oi = 0; oi < outRows; oi++) {
    const ii = centre(oi, rows, outRows);
    for (let oj = 0; oj < outCols; oj++) out[oi * outCols + oj] = colsOut[ii * sampled.length + keep[centre(oj, cols, outCols)]];
  }
}
