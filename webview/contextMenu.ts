/**
 * The context menu of a file (right-click on a row's name or thumbnail, a compare pane, a cluster card):
 * Reveal in Explorer, Copy Path, Open to the Side, Find Similar. Elements name their file with
 * `data-file` (its index in the gallery's files); the host does the work.
 */
import type { WebviewMessage } from '../src/shared/protocol.js';
import { clear, h } from './dom.js';

const ITEMS: readonly { readonly label: string; readonly message: (file: number) => WebviewMessage }[] = [
  { label: 'Reveal in Explorer', message: (file) => ({ type: 'file/reveal', file }) },
  { label: 'Copy Path', message: (file) => ({ type: 'file/copyPath', file }) },
  { label: 'Open to the Side', message: (file) => ({ type: 'file/open', file }) },
  { label: 'Find Similar', message: (file) => ({ type: 'file/findSimilar', file }) },
];

export class ContextMenu {
  readonly root: HTMLElement;

  constructor(private readonly post: (m: WebviewMessage) => void) {
    this.root = h('div', { class: 'context-menu', attrs: { role: 'menu', id: 'file-menu' } });
    this.root.hidden = true;
    document.addEventListener('contextmenu', (e) => {
      const target = (e.target as Element | null)?.closest?.('[data-file]');
      const file = Number(target?.getAttribute('data-file'));
      if (!target || !Number.isInteger(file) || file < 0) return;
      e.preventDefault();
      this.open(file, e.clientX, e.clientY);
    });
    document.addEventListener('click', () => (this.root.hidden = true));
    window.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.root.hidden = true;
    });
  }

  private open(file: number, x: number, y: number): void {
    clear(this.root);
    for (const item of ITEMS) {
      const b = h('button', { class: 'context-item', text: item.label, attrs: { type: 'button', role: 'menuitem' } });
      b.addEventListener('click', () => {
        this.root.hidden = true;
        this.post(item.message(file));
      });
      this.root.appendChild(b);
    }
    this.root.style.left = `${Math.min(x, window.innerWidth - 200)}px`;
    this.root.style.top = `${Math.min(y, window.innerHeight - 140)}px`;
    this.root.hidden = false;
    (this.root.firstElementChild as HTMLElement | null)?.focus();
  }
}
