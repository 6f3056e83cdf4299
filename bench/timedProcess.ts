/** Whole-process timing for the benchmarks that run a command as a user would. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface ProcessTiming {
  readonly wall: number;
  /** user + sys seconds of the process and its threads; undefined without /bin/bash (its `time`). */
  readonly cpu: number | undefined;
  readonly stdout: string;
}

/** One run of `cmd`: wall and CPU seconds from bash's `time` (so bash's own start is not counted), and its stdout. */
export function timedProcess(cmd: readonly string[]): ProcessTiming {
  const quoted = cmd.map((c) => `'${c.replace(/'/g, `'\\''`)}'`).join(' ');
  const useBash = existsSync('/bin/bash');
  const t0 = performance.now();
  const r = useBash
    ? spawnSync('/bin/bash', ['-c', `TIMEFORMAT='@@time %R %U %S'; time ${quoted}`], { encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (${r.status}): ${r.stderr}`);
  const m = /@@time ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return { wall: m ? Number(m[1]) : wall, cpu: m ? Number(m[2]) + Number(m[3]) : undefined, stdout: r.stdout };
}

export interface CommandTiming {
  readonly wall: number;
  /** user + sys seconds of the process and its threads (undefined without /usr/bin/time). */
  readonly cpu: number | undefined;
  /** Peak resident memory in MB (undefined without /usr/bin/time). */
  readonly peakRssMb: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

const GNU_TIME = '/usr/bin/time';

/**
 * One run of `cmd` with its arguments passed as they are (no shell, so an argument list of thousands of
 * paths is fine): wall, CPU and peak RSS from GNU time when installed (Debian: the `time` package), else
 * the wall time measured here.
 */
export function timedCommand(cmd: readonly string[], opts: { env?: NodeJS.ProcessEnv } = {}): CommandTiming {
  const gnu = existsSync(GNU_TIME);
  const argv = gnu ? [GNU_TIME, '-f', '@@time %e %U %S %M', ...cmd] : [...cmd];
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 28, env: opts.env ?? process.env });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd.slice(0, 4).join(' ')} ... failed (${r.status ?? r.signal}): ${(r.stderr ?? '').slice(-2000)}`);
  const m = /@@time ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  return {
    // GNU time's wall has 10 ms steps; ours is as exact and includes only the spawn on top.
    wall,
    cpu: m ? Number(m[2]) + Number(m[3]) : undefined,
    peakRssMb: m ? Number(m[4]) / 1024 : undefined,
    stdout: r.stdout,
    stderr: (r.stderr ?? '').replace(/@@time .*\n?$/, ''),
  };
}
