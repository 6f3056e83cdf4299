/**
 * Hand edits of a manifest (docs/manifest.md allows them): a path added to or deleted from `remove`, a
 * cluster member's `decision` changed, or `"by": "review"` typed on a member. Each becomes a file
 * decision (a fact), so the next write keeps it instead of silently reverting it. An edit that cannot be
 * honoured — an unknown path, a protected file in `remove`, two edits that contradict each other — is
 * refused with the line of the manifest it is on.
 *
 * What the file "should" say is what decide derives from its own facts and measurement, when the same
 * version of media-dedupe wrote it (a newer version may derive differently; that is not a hand edit).
 * Otherwise, and for version 1, only what contradicts the file itself counts: a member marked remove
 * but missing from `remove`, or the reverse.
 */
import type { FactChange } from '../decisions/facts.js';
import type { FileVerdict } from '../decisions/types.js';
import { comparePaths } from '../files/paths.js';
import { lineOf } from './jsonLines.js';

interface Said {
  readonly value: FileVerdict;
  readonly where: (string | number)[];
  /** A member whose "by" says review while the derivation says otherwise. */
  readonly byReview: boolean;
}

export interface HandEditInput {
  readonly text: string;
  /** Where the file came from, for messages. */
  readonly file: string;
  readonly remove: readonly string[];
  readonly clusters: readonly {
    readonly keep: string;
    readonly members: readonly { readonly path: string; readonly decision: FileVerdict; readonly by: string }[];
  }[];
  /** Paths the manifest describes (files), and those protected. */
  readonly known: ReadonlySet<string>;
  readonly protectedPaths: ReadonlySet<string>;
  /** What the facts derive (removed set and who decided each member), when it can be trusted to equal what was written. */
  readonly derived?: { readonly remove: ReadonlySet<string>; readonly by: ReadonlyMap<string, string> };
  /** Members whose hand-made "review" is already carried as a pair review (version 1). */
  readonly carried?: ReadonlySet<string>;
}

export interface HandEditResult {
  readonly changes: FactChange[];
  /** One message per refused edit, each naming the file and line. */
  readonly problems: string[];
}

export function detectHandEdits(h: HandEditInput): HandEditResult {
  const listedAt = new Map<string, number>();
  h.remove.forEach((p, i) => listedAt.set(p, i));
  const members = new Map<string, Said[]>();
  const keeps = new Map<string, number>();
  h.clusters.forEach((c, ci) => {
    keeps.set(c.keep, ci);
    c.members.forEach((m, mi) => {
      const l = members.get(m.path) ?? [];
      l.push({ value: m.decision, where: ['clusters', ci, 'members', mi, 'decision'], byReview: m.by === 'review' && h.derived?.by.get(m.path) !== 'review' });
      members.set(m.path, l);
    });
  });
  const at = (where: (string | number)[]): string => `${h.file}:${lineOf(h.text, where) ?? '?'}`;
  const changes: FactChange[] = [];
  const problems: string[] = [];
  const paths = [...new Set([...listedAt.keys(), ...members.keys(), ...keeps.keys()])].sort(comparePaths);
  for (const p of paths) {
    if (h.carried?.has(p)) continue;
    const listed: FileVerdict = listedAt.has(p) ? 'remove' : 'keep';
    const said = members.get(p) ?? [];
    const listWhere: (string | number)[] = listedAt.has(p) ? ['remove', listedAt.get(p)!] : (said[0]?.where ?? ['clusters', keeps.get(p) ?? 0, 'keep']);
    let edits: Said[];
    if (h.derived) {
      const expected: FileVerdict = h.derived.remove.has(p) ? 'remove' : 'keep';
      edits = [
        ...(listed !== expected ? [{ value: listed, where: listWhere, byReview: false }] : []),
        ...said.filter((s) => s.value !== expected || s.byReview),
      ];
    } else {
      // No derivation to compare with: what contradicts the file itself. A member a person marked
      // "review" is the edit; otherwise the remove list is (it is the list people edit).
      const memberValues = new Set(said.map((s) => s.value));
      const inconsistent = said.length > 0 ? memberValues.size > 1 || !memberValues.has(listed) : listed === 'remove' && keeps.has(p);
      const reviewed = said.filter((s) => s.byReview);
      edits = reviewed.length > 0 ? reviewed : inconsistent ? [{ value: listed, where: listWhere, byReview: false }] : [];
    }
    if (edits.length === 0) continue;
    const values = new Set(edits.map((e) => e.value));
    if (values.size > 1) {
      problems.push(
        `${edits.map((e) => at(e.where)).join(' and ')}: contradicting edits of ${JSON.stringify(p)} (${edits.map((e) => e.value).join(' vs ')}); make them agree`,
      );
      continue;
    }
    const value = edits[0].value;
    if (!h.known.has(p)) {
      problems.push(`${at(edits[0].where)}: ${JSON.stringify(p)} is not a file this manifest describes; only files of its clusters can be removed here`);
      continue;
    }
    if (value === 'remove' && h.protectedPaths.has(p)) {
      problems.push(
        `${at(edits[0].where)}: ${JSON.stringify(p)} is protected (settings.protect) and is never removed; take it out of "remove" or change the protect globs`,
      );
      continue;
    }
    changes.push({ key: { kind: 'file', path: p }, value });
  }
  return { changes, problems };
}
