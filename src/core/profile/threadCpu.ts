import { readFileSync } from 'node:fs';

export interface CpuSplit {
  /** user + system milliseconds of the whole process (every thread, including finished worker threads). */
  readonly processMs: number;
  /** The main thread's share, where the system tells it (Linux: /proc/self/task/<pid>/stat); the rest ran on the libuv pool, V8's helper threads and worker threads. */
  readonly mainMs?: number;
  /** Peak resident memory so far, in bytes. */
  readonly peakRssBytes: number;
}

/** Linux reports thread times in clock ticks of 1/USER_HZ s, and USER_HZ is 100 on every Linux ABI Node runs on. */
const TICK_MS = 10;

/** How much CPU the process used so far, and how much of it the main thread (Node 20 names all its threads "node", so only the main thread can be told apart). */
export function cpuSplit(): CpuSplit {
  const u = process.cpuUsage();
  const ru = process.resourceUsage();
  return { processMs: (u.user + u.system) / 1000, ...mainThreadMs(), peakRssBytes: ru.maxRSS * 1024 };
}

function mainThreadMs(): { mainMs?: number } {
  if (process.platform !== 'linux') return {};
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // The command name (in parentheses) may hold spaces; fields 14 and 15 (utime, stime) follow it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? { mainMs: ticks * TICK_MS } : {};
  } catch {
    return {};
  }
}
