/**
 * Runs the built CLI as a whole process, as a user runs it, under `/usr/bin/time -v` with a time limit
 * (`timeout -s KILL`) and a V8 heap cap, so a build that hangs or explodes is measured (or fails a check)
 * instead of taking the machine down. Shared by the torture suite and the reliability bench.
 */
import { spawn } from 'node:child_process';

export interface RunOutcome {
  readonly exit: number | string; // a number, or 'timeout' / 'killed'
  readonly wallSec: number;
  readonly rssMb: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliLimits {
  readonly timeoutSec: number;
  readonly heapMb: number;
}

/** Runs `node --max-old-space-size=H cli args` under /usr/bin/time -v and `timeout -s KILL`. */
export function runCli(cli: string, args: readonly string[], limits: CliLimits, env: NodeJS.ProcessEnv = {}): Promise<RunOutcome> {
  return new Promise((done) => {
    const child = spawn(
      '/usr/bin/time',
      ['-v', 'timeout', '-s', 'KILL', String(limits.timeoutSec), process.execPath, `--max-old-space-size=${limits.heapMb}`, cli, ...args],
      { env: { ...process.env, ...env } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', () => {
      const field = (re: RegExp): string | undefined => re.exec(stderr)?.[1];
      const status = Number(field(/Exit status: (\d+)/) ?? NaN);
      const signal = field(/Command terminated by signal (\d+)/);
      const wall = field(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/) ?? '0';
      const wallSec = wall.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);
      const rssMb = Number(field(/Maximum resident set size \(kbytes\): (\d+)/) ?? 0) / 1024;
      // timeout(1) exits 137 (128 + KILL) when it had to kill the command.
      const exit = status === 137 ? 'timeout' : signal ? `signal ${signal}` : Number.isNaN(status) ? 'killed' : status;
      const ownStderr = stderr.slice(0, stderr.search(/\n?\s*Command (being timed|terminated)/) >>> 0);
      done({ exit, wallSec, rssMb, stdout, stderr: ownStderr });
    });
  });
}
