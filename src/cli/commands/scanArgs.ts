import { invalidOption } from '../../core/errors.js';
import { HASHER_NAMES } from '../../core/hashers/registry.js';
import type { HasherConfig } from '../../core/types.js';

const HASHER_ARG = /^([A-Za-z][A-Za-z0-9_-]*)(?::(\d+))?(?:@([0-9]*\.?[0-9]+(?:[eE][-+]?\d+)?))?$/;

/**
 * Parses `--hasher NAME[:SIZE][@THRESHOLD]` (phash, phash:16, dhash:16@0.07, pdq@0.2). Size and
 * threshold left out take the hasher's defaults (16; perception's recommended threshold) when the
 * scan options are normalised.
 */
export function parseHasherArg(arg: string): Partial<HasherConfig> & { name: string } {
  const m = HASHER_ARG.exec(arg.trim());
  if (!m) throw invalidOption('--hasher', `NAME[:SIZE][@THRESHOLD] such as phash:16@0.2 (names: ${HASHER_NAMES.join(', ')})`, arg);
  return {
    name: m[1],
    ...(m[2] !== undefined ? { hashSize: Number(m[2]) } : {}),
    ...(m[3] !== undefined ? { threshold: Number(m[3]) } : {}),
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break (file names may hold any of them). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
