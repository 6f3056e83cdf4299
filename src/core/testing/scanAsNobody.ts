import { spawnSync } from 'node:child_process';
import { chmodSync } from 'node:fs';
import { resolve } from 'node:path';
import { scanFolder } from '../scan/scanFolder.js';

/**
 * Runs `scanFolder(dir, options)` so that file permissions mean something: in this process normally, but
 * as the unprivileged user `nobody` in a child process when the tests run as root (root reads
 * everything, so a chmod 000 file would not be unreadable). Returns the result's files and skipped.
 */
export async function scanWithPermissions(
  dir: string,
  options: Record<string, unknown>,
): Promise<{ files: { path: string }[]; skipped: { path: string; code: string; message: string }[]; asNobody: boolean }> {
  if (process.getuid?.() !== 0) {
    const r = await scanFolder(dir, options);
    return { files: [...r.files], skipped: [...r.skipped], asNobody: false };
  }
  chmodSync(dir, 0o777);
  const entry = resolve(__dirname, '..', 'scan', 'scanFolder.ts');
  const script = `require(${JSON.stringify(entry)}).scanFolder(${JSON.stringify(dir)}, ${JSON.stringify(options)}).then((r) => process.stdout.write(JSON.stringify({ files: r.files, skipped: r.skipped })), (e) => { console.error(e); process.exit(1); })`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
    uid: 65534,
    gid: 65534,
    cwd: resolve(__dirname, '..', '..', '..'),
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`scan as nobody failed (${r.status}): ${r.stderr}`);
  return { ...(JSON.parse(r.stdout) as { files: { path: string }[]; skipped: { path: string; code: string; message: string }[] }), asNobody: true };
}
