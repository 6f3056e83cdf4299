/** Keyboard triage: one table maps keys to commands, and the buttons show the same keys. */
export type Command =
  'keep-left' | 'keep-right' | 'keep-both' | 'not-duplicate' | 'undo' | 'prev' | 'next' | 'first' | 'last' | 'flicker' | 'overlay' | 'open-left' | 'open-right';

export interface KeyBinding {
  readonly command: Command;
  readonly keys: readonly string[]; // KeyboardEvent.key values, lower-cased for letters
  readonly hint: string; // what the button shows
  readonly label: string;
}

export const BINDINGS: readonly KeyBinding[] = [
  { command: 'keep-left', keys: ['ArrowLeft', 'a', '1'], hint: '← A', label: 'Keep left' },
  { command: 'keep-right', keys: ['ArrowRight', 'd', '2'], hint: '→ D', label: 'Keep right' },
  { command: 'keep-both', keys: ['b'], hint: 'B', label: 'Keep both' },
  { command: 'not-duplicate', keys: ['n', 's'], hint: 'N', label: 'Not a duplicate' },
  { command: 'undo', keys: ['Backspace', 'u'], hint: '⌫ U', label: 'Undo' },
  { command: 'prev', keys: ['ArrowUp', 'k'], hint: '↑ K', label: 'Back' },
  { command: 'next', keys: ['ArrowDown', 'j'], hint: '↓ J', label: 'Next' },
  { command: 'flicker', keys: [' '], hint: 'Space', label: 'Flicker' },
  { command: 'overlay', keys: ['o'], hint: 'O', label: 'Overlay' },
  { command: 'first', keys: ['Home'], hint: 'Home', label: 'First' },
  { command: 'last', keys: ['End'], hint: 'End', label: 'Last' },
  { command: 'open-left', keys: ['['], hint: '[', label: 'Open left' },
  { command: 'open-right', keys: [']'], hint: ']', label: 'Open right' },
];

const BY_KEY = new Map<string, Command>();
for (const b of BINDINGS) for (const k of b.keys) BY_KEY.set(k, b.command);

export interface KeyLike {
  readonly key: string;
  readonly ctrlKey?: boolean;
  readonly metaKey?: boolean;
  readonly altKey?: boolean;
}

/** The command for a key press, or undefined: modified keys belong to VS Code (Ctrl+P, Cmd+W...). */
export function commandForKey(e: KeyLike): Command | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  return BY_KEY.get(key);
}

export function bindingFor(command: Command): KeyBinding {
  const b = BINDINGS.find((x) => x.command === command);
  if (!b) throw new Error(`no key binding for ${command}`);
  return b;
}
