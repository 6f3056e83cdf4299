// Steps shared by the install-time builds of native addons (build-annoy.mjs, build-native.mjs).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Runs a command to completion: ok, a reason when not, and stdout + stderr together. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error) return { ok: false, reason: r.error.message, output: output + r.error.message };
  return { ok: r.status === 0, reason: `exit code ${r.status}`, output };
}

/** Whether the marker file beside an addon records every field of `wanted` (how it was built). */
export function markerMatches(markerPath, wanted) {
  try {
    const m = JSON.parse(readFileSync(markerPath, 'utf8'));
    return Object.entries(wanted).every(([k, v]) => m[k] === v);
  } catch {
    return false;
  }
}
