/**
 * A tiny element builder. File names come from disk and may contain markup, so text only ever goes in
 * through textContent and attributes through setAttribute; nothing here touches innerHTML.
 */
export interface Props {
  readonly class?: string;
  readonly text?: string;
  readonly title?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, children?: readonly (Node | null | undefined)[]): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props, children?: readonly (Node | null | undefined)[]): HTMLElement;
export function h(tag: string, props: Props = {}, children: readonly (Node | null | undefined)[] = []): HTMLElement {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.text !== undefined) el.textContent = props.text;
  if (props.title !== undefined) el.title = props.title;
  if (props.attrs) for (const [k, v] of Object.entries(props.attrs)) el.setAttribute(k, v);
  for (const c of children) if (c) el.appendChild(c);
  return el;
}

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Readonly<Record<string, string | number>> = {}): SVGElementTagNameMap[K] {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`gallery markup is missing #${id}`);
  return el as T;
}
