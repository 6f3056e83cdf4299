// Runs node's test runner with tsx: "unit" is every test next to its module (src/**/*.test.ts, webview/**/*.test.ts, bench/**/*.test.ts),
// any other suite is test/<suite>/**/*.test.ts (golden: the parity tests against ../shared's references).
// Usage: node scripts/run-tests.mjs unit golden   (suites run one after the other, each timed)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir, out = []) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) find(p, out);
    else if (n.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const suites = process.argv.slice(2);
if (suites.length === 0) {
  console.error('usage: node scripts/run-tests.mjs SUITE... (unit, golden, torture)');
  process.exit(1);
}

// Each suite is its own test run, timed on its own: the unit suite (tests next to their modules) has a time
// budget of its own, and the golden parity tests (which hash ../shared's reference images with every hasher)
// must not hide inside it. Every suite runs even when an earlier one fails, so one report shows all failures.
const summary = [];
let failed = false;
for (const s of suites) {
  const files = s === 'unit' ? [...find('src'), ...find('webview'), ...find('bench')] : find(join('test', s));
  if (files.length === 0) {
    console.error(`no test files for suite ${s}`);
    process.exit(1);
  }
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files.sort()], { stdio: 'inherit' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const ok = r.status === 0;
  failed ||= !ok;
  summary.push(`suite ${s}: ${files.length} files, ${seconds.toFixed(1)} s, ${ok ? 'passed' : 'FAILED'}`);
}
for (const line of summary) console.log(line);
process.exit(failed ? 1 : 0);
