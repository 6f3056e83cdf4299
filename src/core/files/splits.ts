/**
 * Dataset splits (train, val, test) for the leakage search (types.ts SplitRule): `--splits
 * train,val,test` names top-level folders (train/**); `--split NAME=GLOB` covers other layouts: YOLO's
 * images/train/**, a COCO folder per split; ImageFolder's train/<class>/** is a top-level folder too.
 */
import { invalidOption } from '../errors.js';
import type { SplitRule } from '../types.js';
import { compileProtect } from './filters.js';

export type { SplitRule };

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `--splits train,val,test`: one rule per top-level folder name. */
export function splitsFromNames(list: string): SplitRule[] {
  return list
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '')
    .map((name) => ({ name, glob: `${name}/**` }));
}

/** `--split NAME=GLOB`. */
export function parseSplitArg(arg: string): SplitRule {
  const eq = arg.indexOf('=');
  if (eq <= 0 || eq === arg.length - 1) throw invalidOption('--split', 'NAME=GLOB such as train=images/train/**', arg);
  return { name: arg.slice(0, eq).trim(), glob: arg.slice(eq + 1).trim() };
}

/** Checks the rules (at least two, distinct names, valid globs); throws with the rule at fault. */
export function normalizeSplits(rules: unknown): SplitRule[] {
  if (!Array.isArray(rules)) throw invalidOption('splits', 'a list of {name, glob}', rules);
  const out: SplitRule[] = [];
  for (const r of rules as unknown[]) {
    const rule = r as Partial<SplitRule> | null;
    if (!rule || typeof rule.name !== 'string' || !NAME.test(rule.name))
      throw invalidOption('splits', 'a split name of letters, digits, ".", "_" or "-"', rule?.name);
    if (typeof rule.glob !== 'string' || rule.glob.trim() === '') throw invalidOption('splits', `a glob for split ${rule.name}`, rule.glob);
    if (out.some((o) => o.name === rule.name)) throw invalidOption('splits', 'each split named once', rule.name);
    compileProtect([rule.glob]);
    out.push({ name: rule.name, glob: rule.glob });
  }
  // One split cannot leak into itself: a leakage search needs two.
  if (out.length === 1) throw invalidOption('splits', 'two or more splits (train,val,test)', out[0].name);
  return out;
}

/**
 * The split of every path: the first rule (in the order given) whose glob matches, or undefined for a
 * file in no split, which the scan lists and leaves out of the search.
 */
export function splitLabels(paths: readonly string[], rules: readonly SplitRule[]): (string | undefined)[] {
  const tests = rules.map((r) => ({ name: r.name, test: compileProtect([r.glob]) }));
  return paths.map((p) => tests.find((t) => t.test(p))?.name);
}

/** Folder names that mean a split, for the extension's auto-detect offer. */
export const SPLIT_FOLDER_NAMES: readonly string[] = ['train', 'training', 'val', 'valid', 'validation', 'eval', 'test', 'testing'];

/** The folder a split's glob starts with (images/train/ for images/train/**): its literal prefix up to the last slash. */
export function splitFolder(glob: string): string {
  const wild = glob.search(/[*?[\]{}()!+@\\]/);
  const literal = wild === -1 ? glob : glob.slice(0, wild);
  return literal.slice(0, literal.lastIndexOf('/') + 1);
}

/** A path relative to its split's folder (for --group-by within splits); unchanged outside any split. */
export function insideSplit(rules: readonly SplitRule[], splitOf: (path: string) => string | undefined): (path: string) => string {
  const folders = new Map(rules.map((r) => [r.name, splitFolder(r.glob)]));
  return (path) => {
    const s = splitOf(path);
    const folder = s === undefined ? '' : (folders.get(s) ?? '');
    return folder !== '' && path.startsWith(folder) ? path.slice(folder.length) : path;
  };
}
