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
