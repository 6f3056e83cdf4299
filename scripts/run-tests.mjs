// Runs node's test runner with tsx: "unit" is every test next to its module (src/**/*.test.ts, webview/**/*.test.ts),
// any other suite is test/<suite>/**/*.test.ts (golden: the parity tests against ../shared's references).
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
const files = [];
for (const s of suites) {
  if (s === 'unit') files.push(...find('src'), ...find('webview'));
  else files.push(...find(join('test', s)));
}
if (files.length === 0) {
  console.error(`no test files for suites: ${suites.join(', ')}`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files.sort()], { stdio: 'inherit' });
process.exit(r.status ?? 1);
