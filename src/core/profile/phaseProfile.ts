/**
 * Where a scan's time goes, by phase (`media-dedupe scan --profile`, `npm run bench -- --only scan-profile`),
 * so that the next regression of a first scan is visible. Every phase is timed on the thread that runs it:
 *
 * - main-thread phases (walk, snapshot read (a re-scan's saved result, scan/rescanSnapshot.ts), read, hash, colour signature, fingerprint, keep facts, cache write, search, colour check,
 *   clustering, snapshot write, index build, manifest write) as the wall time of the synchronous work, summed over files
 *   for the per-file ones. The main thread runs one thing at a time, so these add up to its busy time;
 *   `waiting` is the time it had nothing to do but wait for decodes.
 * - off-thread phases (decode on the libuv pool, work in worker threads) as the wall time each piece of
 *   work was in flight, summed: they overlap the main thread and each other, so they are not part of the
 *   main thread's sum. The CPU each kind of thread used (threadCpu.ts) is beside them.
 *
 * Recording costs two performance.now() calls per timed step (~0.1 us), and nothing when no profile is
 * passed: the engine's `profile?.` calls are skipped.
 */

/** The phases, in the order a scan goes through them (the report's row order). */
export const PHASES = [
  'start-up',
  'walk',
  'snapshot read',
  'cache read',
  'read',
  'decode',
  'hash',
  'crop hashes',
  'crop pass',
  'colour signature',
  'fingerprint',
  'keep facts',
  'cache write',
  'waiting',
  'search',
  'colour check',
  'clustering',
  'snapshot write',
  'index build',
  'manifest write',
] as const;
export type Phase = (typeof PHASES)[number];

/** Which thread a phase's time was spent on. */
export type PhaseThread = 'main' | 'pool' | 'workers';

export interface PhaseTime {
  readonly phase: Phase;
  readonly thread: PhaseThread;
  /** Wall milliseconds (summed over pieces of work for per-file and off-thread phases). */
  readonly ms: number;
  /** How many times it was recorded (files, for the per-file phases). */
  readonly count: number;
  /**
   * For whole stages (walk, search, colour check, ...): the CPU the process used meanwhile, every thread
   * (a stage's worker threads included). Steadier than the wall time on a machine shared with other work.
   */
  readonly cpuMs?: number;
}

/** user + system milliseconds of the whole process so far. */
export function processCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export interface Stopwatch {
  lap(phase: Phase): void;
}

export class PhaseProfile {
  private readonly times = new Map<string, { phase: Phase; thread: PhaseThread; ms: number; count: number; cpuMs?: number }>();

  /** Adds `ms` to a phase (once per file for per-file phases); `cpuMs` for whole stages (see PhaseTime). */
  add(phase: Phase, ms: number, thread: PhaseThread = 'main', count = 1, cpuMs?: number): void {
    const key = `${phase}\u0000${thread}`;
    const t = this.times.get(key);
    if (t) {
      t.ms += ms;
      t.count += count;
      if (cpuMs !== undefined) t.cpuMs = (t.cpuMs ?? 0) + cpuMs;
    } else this.times.set(key, { phase, thread, ms, count, ...(cpuMs !== undefined ? { cpuMs } : {}) });
  }

  /** A stopwatch whose lap(phase) adds the time since the previous lap (or since now) to that phase, on the main thread. */
  stopwatch(): Stopwatch {
    let last = performance.now();
    return {
      lap: (phase) => {
        const now = performance.now();
        this.add(phase, now - last);
        last = now;
      },
    };
  }

  /** Runs fn and adds its wall time to `phase` (main thread). */
  time<T>(phase: Phase, fn: () => T): T {
    const t0 = performance.now();
    try {
      return fn();
    } finally {
      this.add(phase, performance.now() - t0);
    }
  }

  /** Awaits fn, a whole stage, and adds its wall time and the process's CPU meanwhile to `phase`. */
  async timeAsync<T>(phase: Phase, fn: () => Promise<T>, thread: PhaseThread = 'main'): Promise<T> {
    const t0 = performance.now();
    const c0 = processCpuMs();
    try {
      return await fn();
    } finally {
      this.add(phase, performance.now() - t0, thread, 1, processCpuMs() - c0);
    }
  }

  /** Milliseconds recorded on the main thread so far, all phases together. */
  mainMs(): number {
    let ms = 0;
    for (const t of this.times.values()) if (t.thread === 'main') ms += t.ms;
    return ms;
  }

  /** The phases recorded, in PHASES order (main thread first within a phase). */
  phases(): PhaseTime[] {
    const order = (t: PhaseTime): number => PHASES.indexOf(t.phase) * 3 + ['main', 'pool', 'workers'].indexOf(t.thread);
    return [...this.times.values()].map((t) => ({ ...t })).sort((a, b) => order(a) - order(b));
  }
}
