/**
 * The one loader of the project's native addons (native/<dir>/, built at install time by
 * scripts/build-native.mjs): finds the file beside the bundle in a packaged extension (dist/native/) or
 * where the build leaves it in a checkout (native/<dir>/build/), requires it, checks that it has the
 * functions its users call, and remembers the outcome. Every addon is optional: when one is missing, fails
 * to load or is switched off, its users fall back to sharp or JavaScript, with the same results, only
 * slower. The addons' contracts live with their users: image/nativeDecoder.ts, kernels/kernels.ts, pairs/lshNative.ts.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface AddonSpec {
  /** Its folder under native/, and the file the build writes. */
  readonly dir: string;
  readonly file: string;
  /** The functions it must export (an addon from an older build may lack one). */
  readonly exports: readonly string[];
  /** An environment variable that names the file to load instead. */
  readonly pathEnv: string;
  /** Why it is switched off, if it is. */
  readonly off?: () => string | undefined;
}

export interface AddonInfo {
  readonly available: boolean;
  readonly path?: string;
  /** Why it is not used, when it is not. */
  readonly reason?: string;
}

const loaded = new Map<AddonSpec, { addon?: unknown; info: AddonInfo }>();

/** The addon (undefined when unavailable or switched off) and what happened, loaded once per process. */
export function loadAddon<T>(spec: AddonSpec): { readonly addon?: T; readonly info: AddonInfo } {
  let l = loaded.get(spec);
  if (!l) loaded.set(spec, (l = tryLoad(spec)));
  return l as { addon?: T; info: AddonInfo };
}

function tryLoad(spec: AddonSpec): { addon?: unknown; info: AddonInfo } {
  const off = spec.off?.();
  if (off) return { info: { available: false, reason: off } };
  const path = candidates(spec).find((p) => existsSync(p));
  if (!path) return { info: { available: false, reason: `${spec.file} was not built (node scripts/build-native.mjs says why)` } };
  try {
    // A plain require: esbuild leaves a computed path alone, and Node loads .node files with it.
    const addon = require(path) as Record<string, unknown>;
    const lacking = spec.exports.filter((e) => typeof addon[e] !== 'function');
    if (lacking.length) throw new Error(`it does not export ${lacking.join(', ')} (an addon from an older build? run npm rebuild)`);
    return { addon, info: { available: true, path } };
  } catch (e) {
    return { info: { available: false, path, reason: `${path} did not load: ${e instanceof Error ? e.message : String(e)}` } };
  }
}

/** Searched upwards from this module, which is dist/ when bundled and src/core/native/ under the test runner. */
function candidates(spec: AddonSpec): string[] {
  const explicit = process.env[spec.pathEnv];
  if (explicit) return [explicit];
  const out: string[] = [];
  let d = __dirname;
  for (let i = 0; i < 5; i++) {
    out.push(join(d, 'native', spec.file), join(d, 'native', spec.dir, 'build', spec.file));
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return out;
}
