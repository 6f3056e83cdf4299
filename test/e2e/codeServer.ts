/**
 * Starts a real VS Code (code-server from npm) for the e2e test, with a fresh user-data folder, the
 * packaged extension installed, and every background service that would reach the network turned off.
 * The server runs in its own process group and is stopped as a group.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export interface CodeServerOptions {
  readonly codeServerDir: string; // .../node_modules/code-server
  readonly stateDir: string; // short path: unix sockets live below it
  readonly vsix: string;
  readonly logFile: string;
  readonly env?: Readonly<Record<string, string>>;
}

export interface RunningCodeServer {
  readonly url: string;
  readonly port: number;
  readonly userDir: string;
  readonly settingsFile: string;
  stop(): Promise<void>;
}

export const BASE_SETTINGS: Record<string, unknown> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  'files.hotExit': 'off',
};

export function writeSettings(file: string, extra: Record<string, unknown> = {}): void {
  writeFileSync(file, JSON.stringify({ ...BASE_SETTINGS, ...extra }, null, 2));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode} before it was ready`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
}

export async function startCodeServer(o: CodeServerOptions): Promise<RunningCodeServer> {
  const userDir = join(o.stateDir, 'u');
  const extDir = join(o.stateDir, 'e');
  const xdg = join(o.stateDir, 'x');
  for (const d of [join(userDir, 'User'), extDir, join(xdg, 'data'), join(xdg, 'config'), join(xdg, 'cache'), join(xdg, 'tmp')])
    mkdirSync(d, { recursive: true });
  const settingsFile = join(userDir, 'User', 'settings.json');
  writeSettings(settingsFile);
  writeFileSync(join(o.stateDir, 'config.yaml'), 'auth: none\n');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_DATA_HOME: join(xdg, 'data'),
    XDG_CONFIG_HOME: join(xdg, 'config'),
    XDG_CACHE_HOME: join(xdg, 'cache'),
    TMPDIR: join(xdg, 'tmp'),
    ...o.env,
  };
  const entry = join(o.codeServerDir, 'out', 'node', 'entry.js');
  const common = ['--user-data-dir', userDir, '--extensions-dir', extDir];
  // Installing before the server starts avoids a restart of the extension host.
  const inst = spawnSync(process.execPath, [entry, ...common, '--install-extension', o.vsix, '--force'], { env, encoding: 'utf8', timeout: 120_000 });
  if (inst.status !== 0) throw new Error(`installing ${o.vsix} failed (${inst.status}):\n${inst.stdout}\n${inst.stderr}`);

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = openSync(o.logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      entry,
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--disable-proxy',
      '--config',
      join(o.stateDir, 'config.yaml'),
    ],
    { env, detached: true, stdio: ['ignore', log, log] },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    await exited;
    clearTimeout(t);
  };
  try {
    await waitHealthy(url, child, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, port, userDir, settingsFile, stop };
}
