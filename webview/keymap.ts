/**
 * Keyboard triage: one table per view maps keys to commands, and the buttons and the "?" overlay show the
 * same keys. Each view binds only commands that act on what it shows: in the clusters view the pair keys
 * do nothing, since no pair is on screen there.
 */
export type Command =
  | 'keep-left'
  | 'keep-right'
  | 'keep-both'
  | 'not-duplicate'
  | 'undo'
  | 'redo'
  | 'prev'
  | 'next'
  | 'first'
  | 'last'
  | 'flicker'
  | 'overlay'
  | 'open-left'
  | 'open-right'
  | 'prev-member'
  | 'next-member'
  | 'keep-this'
  | 'accept-cluster'
  | 'cluster-not-duplicates'
  | 'split-out'
  | 'toggle-view'
  | 'help';

export type KeyView = 'pairs' | 'clusters';

export interface KeyBinding {
  readonly command: Command;
  readonly keys: readonly string[]; // KeyboardEvent.key values, lower-cased for letters
  readonly hint: string; // what the button shows
  readonly label: string;
}

const COMMON: readonly KeyBinding[] = [
  { command: 'undo', keys: ['Backspace', 'u'], hint: '⌫ U', label: 'Undo' },
  { command: 'redo', keys: ['r'], hint: 'R', label: 'Redo' },
  { command: 'toggle-view', keys: ['c'], hint: 'C', label: 'Pairs / clusters' },
  { command: 'help', keys: ['?'], hint: '?', label: 'Keys' },
  { command: 'first', keys: ['Home'], hint: 'Home', label: 'First' },
  { command: 'last', keys: ['End'], hint: 'End', label: 'Last' },
];

export const BINDINGS: Readonly<Record<KeyView, readonly KeyBinding[]>> = {
  pairs: [
    { command: 'keep-left', keys: ['ArrowLeft', 'a', '1'], hint: '← A', label: 'Keep left' },
    { command: 'keep-right', keys: ['ArrowRight', 'd', '2'], hint: '→ D', label: 'Keep right' },
    { command: 'keep-both', keys: ['b'], hint: 'B', label: 'Keep both' },
    { command: 'not-duplicate', keys: ['n', 's'], hint: 'N', label: 'Not a duplicate' },
    { command: 'prev', keys: ['ArrowUp', 'k'], hint: '↑ K', label: 'Back' },
    { command: 'next', keys: ['ArrowDown', 'j'], hint: '↓ J', label: 'Next' },
    { command: 'flicker', keys: [' '], hint: 'Space', label: 'Flicker' },
    { command: 'overlay', keys: ['o'], hint: 'O', label: 'Overlay' },
    { command: 'open-left', keys: ['['], hint: '[', label: 'Open left' },
    { command: 'open-right', keys: [']'], hint: ']', label: 'Open right' },
    ...COMMON,
  ],
  clusters: [
    { command: 'next', keys: ['j'], hint: 'J', label: 'Next cluster' },
    { command: 'prev', keys: ['k'], hint: 'K', label: 'Previous cluster' },
    { command: 'next-member', keys: ['ArrowRight', 'ArrowDown'], hint: '→ ↓', label: 'Next member' },
    { command: 'prev-member', keys: ['ArrowLeft', 'ArrowUp'], hint: '← ↑', label: 'Previous member' },
    { command: 'keep-this', keys: ['Enter', 't'], hint: 'T', label: 'Keep this, remove the rest' },
    { command: 'accept-cluster', keys: ['y'], hint: 'Y', label: 'Accept automatic decisions' },
    { command: 'cluster-not-duplicates', keys: ['n'], hint: 'N', label: 'Not duplicates (whole cluster)' },
    { command: 'split-out', keys: ['x'], hint: 'X', label: 'Split this file out' },
    ...COMMON,
  ],
};

/** Multi-select, shown in the "?" overlay beside the keys (mouse and modifier gestures, read by the lists). */
export const SELECTION_HELP: readonly { readonly hint: string; readonly label: string }[] = [
  { hint: 'Shift+click', label: 'Select a range of pairs or clusters' },
  { hint: 'Ctrl/Cmd+click', label: 'Add or remove one from the selection' },
  { hint: 'Shift+↑↓ / Shift+J K', label: 'Extend the selection' },
  { hint: 'Esc', label: 'Clear the selection' },
];

const BY_KEY: Record<KeyView, Map<string, Command>> = { pairs: new Map(), clusters: new Map() };
for (const v of ['pairs', 'clusters'] as const) for (const b of BINDINGS[v]) for (const k of b.keys) BY_KEY[v].set(k, b.command);

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
}

/** The command for a key press in `view`, or undefined: modified keys belong to VS Code (Ctrl+P, Cmd+W...). */
export function commandForKey(e: KeyLike, view: KeyView = 'pairs'): Command | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return BY_KEY[view].get(key);
}

export function bindingFor(command: Command, view: KeyView = 'pairs'): KeyBinding {
  const b = BINDINGS[view].find((x) => x.command === command) ?? BINDINGS.pairs.find((x) => x.command === command);
  if (!b) throw new Error(`no key binding for ${command}`);
  return b;
}
