/**
 * What the torture cases share: the built CLI (npm run test:torture builds it first), run as a whole
 * process with a time limit and a heap cap, so a regression fails a case instead of taking the machine down.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli, type CliLimits, type RunOutcome } from '../../src/core/testing/runCli.js';

export const CLI = resolve(__dirname, '..', '..', 'dist', 'cli.js');
export const LIMITS: CliLimits = { timeoutSec: 120, heapMb: 1024 };

export function cli(args: readonly string[], env: NodeJS.ProcessEnv = {}, limits: CliLimits = LIMITS): Promise<RunOutcome> {
  assert.ok(existsSync(CLI), `${CLI} is missing: run "npm run build" (npm run test:torture does)`);
  return runCli(CLI, args, limits, env);
}

export interface ScanSummary {
  files: number;
  hashed: number;
  cached: number;
  pairs: number;
  remove: number;
  skipped: number;
}

/** `scan DIR --json` that must succeed; returns its summary. */
export async function scanOk(dir: string, extra: readonly string[] = [], env: NodeJS.ProcessEnv = {}): Promise<{ summary: ScanSummary; run: RunOutcome }> {
  const run = await cli(['scan', dir, '--json', ...extra], env);
  assert.equal(run.exit, 0, `scan ${dir} exited ${run.exit}: ${run.stderr.slice(0, 2000)}`);
  return { summary: JSON.parse(run.stdout) as ScanSummary, run };
}

export interface ManifestJson {
  remove: string[];
  files: { path: string; size: number; sha256: string; protected?: true }[];
  skipped: { path: string; code: string }[];
  reviews: { a: string; b: string; decision: string }[];
  notDuplicates: [string, string][];
  orphaned: string[];
  pairs?: { a: string; b: string }[];
}

export const manifestPathOf = (dir: string): string => join(dir, 'dedupe-manifest.json');
export const readManifestJson = (dir: string): ManifestJson => JSON.parse(readFileSync(manifestPathOf(dir), 'utf8')) as ManifestJson;

/** A failure a person can act on: one message line, exit 2, no stack trace. */
export function assertCleanFailure(run: RunOutcome, pattern: RegExp): void {
  assert.equal(run.exit, 2, `exit ${run.exit}: ${run.stderr}`);
  assert.doesNotMatch(run.stderr, /\n\s+at .+:\d+:\d+\)?\n/, `no stack trace: ${run.stderr}`);
  assert.match(run.stderr, pattern);
}
