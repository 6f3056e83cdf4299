import { PHASES, type Phase, type PhaseProfile, type PhaseThread } from './phaseProfile.js';
import { cpuSplit, type CpuSplit } from './threadCpu.js';

/** Phases timed once per file (PHASES from 'read' to 'cache write'): the report also gives them per file. */
const PER_FILE: ReadonlySet<Phase> = new Set(PHASES.slice(PHASES.indexOf('read'), PHASES.indexOf('cache write') + 1));

export interface ProfileRow {
  readonly phase: Phase;
  readonly thread: PhaseThread;
  readonly ms: number;
  /** Per hashed file, for the per-file phases. */
  readonly usPerFile?: number;
  /** Whole stages: the process's CPU meanwhile (every thread). */
  readonly cpuMs?: number;
}

/** A profile as `scan --profile --json` prints it and the bench reads it. */
export interface ProfileReport {
  readonly files: number;
  readonly hashed: number;
  /** Since the process started (performance.timeOrigin), so node's own start-up and module loading are in. */
  readonly wallMs: number;
  readonly cpu: CpuSplit;
  readonly phases: readonly ProfileRow[];
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** The profile so far, with the process's wall and CPU time up to now. */
export function profileReport(profile: PhaseProfile, counts: { readonly files: number; readonly hashed: number }): ProfileReport {
  const phases = profile.phases().map((t) => ({
    phase: t.phase,
    thread: t.thread,
    ms: round1(t.ms),
    ...(PER_FILE.has(t.phase) && counts.hashed > 0 ? { usPerFile: Math.round((t.ms * 1000) / counts.hashed) } : {}),
    ...(t.cpuMs !== undefined ? { cpuMs: round1(t.cpuMs) } : {}),
  }));
  return { ...counts, wallMs: round1(performance.now()), cpu: cpuSplit(), phases };
}

const THREAD_LABEL: Readonly<Record<PhaseThread, string>> = {
  main: 'main',
  pool: 'libuv pool, in flight',
  workers: 'worker threads',
};

/** The report as a table for a terminal (stderr): main-thread phases as a share of the wall time, off-thread ones marked as overlapping. */
export function formatProfileReport(r: ProfileReport): string {
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const main = r.cpu.mainMs !== undefined ? ` (main thread ${s(r.cpu.mainMs)}, other threads ${s(Math.max(0, r.cpu.processMs - r.cpu.mainMs))})` : '';
  const rows = r.phases.map((p) => [
    p.phase,
    THREAD_LABEL[p.thread],
    p.ms.toFixed(1),
    p.usPerFile !== undefined ? `${p.usPerFile} us` : '',
    p.cpuMs !== undefined ? p.cpuMs.toFixed(1) : '',
    p.thread === 'main' && r.wallMs > 0 ? `${((100 * p.ms) / r.wallMs).toFixed(1)} %` : 'overlaps',
  ]);
  const head = ['phase', 'thread', 'ms', 'per file', 'CPU ms', 'of wall'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [
    `profile: ${r.files} files, ${r.hashed} hashed; wall ${s(r.wallMs)} since the process started, CPU ${s(r.cpu.processMs)}${main}, peak RSS ${Math.round(r.cpu.peakRssBytes / 2 ** 20)} MB`,
    line(head),
    ...rows.map(line),
    '',
  ].join('\n');
}
