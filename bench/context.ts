/** What every bench section receives from bench.ts. */
export interface BenchContext {
  /** The shared benchmark folder (images/, videos/, ground_truth.json). */
  readonly benchDir: string;
  /** The repository root (dist/ lives here). */
  readonly repoRoot: string;
  /** Timing rounds per configuration (interleaved; medians reported). */
  readonly rounds: number;
  /** --explore: sweep more configurations (slower), for design decisions. */
  readonly explore: boolean;
  /** --keep-dirs: more folders with a ground_truth.json for the keep-policy section (e.g. a held-out benchmark). */
  readonly keepDirs?: readonly string[];
  readonly out: (text: string) => void;
}

/**
 * True when bench/<name>.ts was started directly (npx tsx bench/<name>.ts). Not `require.main === module`:
 * inside the single-file bundle dist/bench.js every section shares the bundle's `module`, so that test is
 * true for all of them at once; the script path tells the two apart.
 */
export function runsAlone(name: string): boolean {
  return new RegExp(`[\\\\/]bench[\\\\/]${name}(\\.[cm]?[jt]s)?$`).test(process.argv[1] ?? '');
}
