/** The "?" overlay: every key of both views, from the same tables the keys are read from. */
import { h } from './dom.js';
import { BINDINGS, SELECTION_HELP } from './keymap.js';

export class HelpOverlay {
  readonly root: HTMLElement;

  constructor() {
    const section = (title: string, view: 'pairs' | 'clusters'): HTMLElement =>
      h('section', {}, [
        h('h2', { text: title }),
        h(
          'dl',
          {},
          BINDINGS[view].flatMap((b) => [h('dt', {}, [h('kbd', { text: b.hint })]), h('dd', { text: b.label })]),
        ),
      ]);
    const close = h('vscode-button', { text: 'Close (Esc)', attrs: { secondary: '', 'data-action': 'close-help' } });
    close.addEventListener('click', () => this.toggle(false));
    this.root = h('div', { class: 'help-overlay', attrs: { role: 'dialog', 'aria-label': 'Keyboard shortcuts', id: 'help' } }, [
      h('div', { class: 'help-box' }, [
        section('Pairs view', 'pairs'),
        section('Clusters view', 'clusters'),
        h('section', {}, [
          h('h2', { text: 'Selection (keys then act on every selected item on screen)' }),
          h(
            'dl',
            {},
            SELECTION_HELP.flatMap((b) => [h('dt', {}, [h('kbd', { text: b.hint })]), h('dd', { text: b.label })]),
          ),
        ]),
        close,
      ]),
    ]);
    this.root.hidden = true;
  }

  get open(): boolean {
    return !this.root.hidden;
  }

  toggle(show = !this.open): void {
    this.root.hidden = !show;
  }
}
