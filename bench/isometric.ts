/**
 * Isometric search cost: perception's rule (every dihedral variant of A against every variant of B) as
 * findPairs runs it, against the join the engine used before (variants of A against the upright hash of
 * B, both ways: 8 rows against 1 row per item) on the same hashes, in the same process, rounds
 * interleaved. The hashes are pHash-like: 4 random rows per item and their bit transposes (the symmetry
 * pairs/isometric.ts checks for and then uses), with planted near-copies between random variants of
 * other items. `npm run bench -- --only isometric [--rounds N]`, or `npx tsx bench/isometric.ts [--n N]`.
 */
import { availableParallelism, loadavg } from 'node:os';
import { searchQueries } from '../src/core/pairs/exact.js';
import { findPairs } from '../src/core/pairs/findPairs.js';
import { transposeClosed } from '../src/core/pairs/isometric.js';
import { PackedHashes, radiusFor } from '../src/core/pairs/packed.js';
import { PairSet } from '../src/core/pairs/pairSet.js';
import { rng } from '../src/core/testing/plantedHashes.js';
import { runsAlone, type BenchContext } from './context.js';
import { formatTable, median } from './table.js';

const SIDE = 16;
const BITS = SIDE * SIDE;
const THRESHOLD = 0.2;
/** r90fv (the transpose) after r0 fv fh r180, as indices into ISOMETRIC_KEYS. */
const TRANSPOSED = [5, 7, 4, 6];

/** n items x 8 rows, closed under transposition; a fifth of the items hold a noisy copy of another item's variant. */
export function isometricHashes(n: number, seed: number): PackedHashes {
  const rand = rng(seed);
  const out = new PackedHashes(n * 8, BITS);
  const bytes = BITS / 8;
  const base = new Uint8Array(n * 4 * bytes);
  for (let k = 0; k < base.length; k++) base[k] = Math.floor(rand() * 256);
  for (let k = 1; k < n; k++) {
    if (rand() >= 0.2) continue;
    const from = (Math.floor(rand() * k) * 4 + Math.floor(rand() * 4)) * bytes;
    const to = (k * 4 + Math.floor(rand() * 4)) * bytes;
    base.copyWithin(to, from, from + bytes);
    for (let f = Math.floor(rand() * 60); f > 0; f--) {
      const b = Math.floor(rand() * BITS);
      base[to + (b >> 3)] ^= 0x80 >> (b & 7);
    }
  }
  const t = new Uint8Array(bytes);
  for (let k = 0; k < n; k++) {
    for (let v = 0; v < 4; v++) {
      const row = base.subarray((k * 4 + v) * bytes, (k * 4 + v + 1) * bytes);
      out.setRow(k * 8 + v, row);
      t.fill(0);
      for (let y = 0; y < SIDE; y++)
        for (let x = 0; x < SIDE; x++) if ((row[(y * SIDE + x) >> 3] >> (7 - ((y * SIDE + x) & 7))) & 1) t[(x * SIDE + y) >> 3] |= 0x80 >> ((x * SIDE + y) & 7);
      out.setRow(k * 8 + TRANSPOSED[v], t);
    }
  }
  return out;
}

/** Same hashes with the transposed rows scrambled, so the symmetry does not hold and the full 8 x 8 join runs. */
function unclosed(v: PackedHashes): PackedHashes {
  const out = v.select(Array.from({ length: v.count }, (_, k) => k));
  for (let k = 0; k < out.count; k += 8) out.row(k + 5)[0] ^= 0x01;
  return out;
}

async function timed(run: () => Promise<number>): Promise<{ s: number; pairs: number }> {
  const t0 = performance.now();
  const pairs = await run();
  return { s: (performance.now() - t0) / 1000, pairs };
}

export async function benchIsometric(
  ctx: Pick<BenchContext, 'rounds' | 'explore' | 'out'>,
  sizes = ctx.explore ? [20_000, 50_000, 100_000] : [100_000],
): Promise<void> {
  const radius = radiusFor(THRESHOLD, BITS);
  ctx.out(
    `\nisometric: ${BITS}-bit pHash-like hashes, threshold ${THRESHOLD}; ${availableParallelism()} cores; load average before ${loadavg()[0].toFixed(2)}\n`,
  );
  const rows: (string | number)[][] = [];
  for (const n of sizes) {
    const v = isometricHashes(n, 20240912 + n);
    if (!transposeClosed(v)) throw new Error('bench hashes are meant to be closed under transposition');
    const upright = v.select(Array.from({ length: n }, (_, k) => k * 8));
    const items = Int32Array.from({ length: n }, (_, k) => k);
    const rowItems = Int32Array.from({ length: n * 8 }, (_, q) => q >> 3);
    const configs: { name: string; run: () => Promise<number> }[] = [
      {
        name: 'before: 8 variants x upright, both ways',
        run: async () => {
          const set = new PairSet();
          await searchQueries(v, upright, radius, { items, queryItems: rowItems }, {}, set);
          return set.size;
        },
      },
      {
        name: "perception's rule (4 x 8, transposition-closed)",
        run: async () => (await findPairs({ hashers: [{ hashes: v, threshold: THRESHOLD, isometric: true }] })).pairs.count,
      },
    ];
    if (ctx.explore) {
      const u = unclosed(v);
      configs.push({
        name: "perception's rule, not closed (8 x 8)",
        run: async () => (await findPairs({ hashers: [{ hashes: u, threshold: THRESHOLD, isometric: true }] })).pairs.count,
      });
    }
    const times = configs.map(() => [] as number[]);
    const pairs = configs.map(() => 0);
    for (let r = 0; r < ctx.rounds; r++) {
      for (let c = 0; c < configs.length; c++) {
        const t = await timed(configs[c].run);
        times[c].push(t.s);
        pairs[c] = t.pairs;
      }
    }
    const base = median(times[0]);
    for (let c = 0; c < configs.length; c++) rows.push([n, configs[c].name, median(times[c]), median(times[c]) / base, pairs[c]]);
  }
  ctx.out(
    formatTable(
      `isometric search, median of ${ctx.rounds} interleaved rounds (seconds, in-process, every core)`,
      ['items', 'join', 'wall s', 'vs before', 'pairs'],
      rows,
    ),
  );
}

if (runsAlone('isometric')) {
  const at = process.argv.indexOf('--n');
  const n = at > 0 ? Number(process.argv[at + 1]) : 100_000;
  void benchIsometric({ rounds: 1, explore: false, out: (t) => process.stdout.write(t) }, [n]);
}
