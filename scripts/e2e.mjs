// npm run test:e2e: installs what the e2e needs (scripts/e2e-setup.sh: chromium, code-server in a cache
// folder outside the repo), builds and packages the .vsix, then runs test/e2e/*.e2e.ts in a real VS Code.
// Screenshots, logs and metrics go to test-output/e2e/ (git-ignored).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const out = resolve(process.env.E2E_OUT ?? join(root, 'test-output', 'e2e'));
const t0 = Date.now();
const step = (name) => console.error(`[e2e] ${name} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);

step('setup');
const setup = spawnSync('bash', [join(root, 'scripts', 'e2e-setup.sh')], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
if (setup.status !== 0) process.exit(setup.status ?? 1);
const codeServerDir = setup.stdout.trim().split('\n').pop();

step('build and package');
mkdirSync(join(root, 'test-output'), { recursive: true });
const vsix = join(root, 'test-output', 'media-dedupe-e2e.vsix');
const pack = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--out', vsix], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
if (pack.status !== 0) process.exit(pack.status ?? 1);

step('run');
const files = readdirSync(join(root, 'test', 'e2e'))
  .filter((f) => f.endsWith('.e2e.ts'))
  .map((f) => join('test', 'e2e', f));
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, CODE_SERVER_DIR: codeServerDir, MEDIA_DEDUPE_VSIX: vsix, E2E_OUT: out },
});
step(`done: screenshots and logs in ${out}`);
process.exit(r.status ?? 1);
