import { Writable } from 'node:stream';
import type { CommandRun } from '../io.js';

export interface CapturedRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a CLI entry (`main` or one command's `run`) in this process with fake streams, capturing what it prints. */
export async function runInProcess(entry: CommandRun, argv: string[], cwd: string): Promise<CapturedRun> {
  let stdout = '';
  let stderr = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, cb) {
        f(String(chunk));
        cb();
      },
    });
  const code = await entry(argv, { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), cwd });
  return { code, stdout, stderr };
}

/** Runs the CLI in this process, capturing what it prints. */
export async function runCli(argv: string[], cwd = process.cwd()): Promise<{ code: number; stdout: string; stderr: string }> {
  const { main } = await import('../main.js');
  return runInProcess(main, argv, cwd);
}
