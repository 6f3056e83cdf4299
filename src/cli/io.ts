/** What a CLI command may touch: its streams, so tests can run commands in-process and read what they print. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly cwd: string;
  /** The environment (default process.env): sharded commands read their task index from it. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export type CommandRun = (argv: string[], io: CliIo) => Promise<number>;

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  /** check: duplicates exist that the manifest does not resolve; hash: no file could be hashed. */
  findings: 1,
  /** bad options or arguments */
  usage: 2,
  /** an unexpected internal failure */
  internal: 3,
} as const;
