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
  readonly out: (text: string) => void;
}
