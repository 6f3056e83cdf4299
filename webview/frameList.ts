/**
 * The matched frames of a video pair under the compare view: each row is a moment both videos show
 * (left time, right time, frame distance); a click seeks both videos there. Hidden for image pairs.
 */
import type { FrameMatchView, PairView } from '../src/shared/protocol.js';
import { clear, h } from './dom.js';
import { formatDistance, formatTime } from './format.js';
import { counted } from '../src/shared/counted.js';

/** Rows shown at most: a long video matches hundreds of frames, spread evenly so the whole length is covered. */
export const MAX_FRAME_ROWS = 60;

/** The frames to list: all when few, else MAX_FRAME_ROWS spread over the whole list (first and last included). */
export function framesToShow(frames: readonly FrameMatchView[], max = MAX_FRAME_ROWS): FrameMatchView[] {
  if (frames.length <= max) return [...frames];
  const out: FrameMatchView[] = [];
  for (let k = 0; k < max; k++) out.push(frames[Math.round((k * (frames.length - 1)) / (max - 1))]!);
  return out;
}

export function frameLabel(f: FrameMatchView): string {
  return `${formatTime(f.a)} ↔ ${formatTime(f.b)} · ${formatDistance(f.distance)}`;
}

export class FrameList {
  readonly root: HTMLElement;
  private readonly title: HTMLElement;
  private readonly list: HTMLElement;

  constructor(
    private readonly seek: (a: number, b: number) => void,
    playBoth: () => void,
  ) {
    this.title = h('span', { class: 'frames-title' });
    const play = h('vscode-button', { attrs: { secondary: '', 'data-action': 'play-both', title: 'Play or pause both videos' } }, [
      document.createTextNode('Play both'),
    ]);
    play.addEventListener('click', () => playBoth());
    this.list = h('div', { class: 'frames-list', attrs: { role: 'list' } });
    this.root = h('div', { class: 'frames' }, [h('div', { class: 'frames-head' }, [this.title, play]), this.list]);
    this.root.hidden = true;
  }

  show(pair: PairView | undefined): void {
    clear(this.list);
    if (!pair) {
      this.root.hidden = true;
      return;
    }
    this.root.hidden = false;
    const frames = pair.frames ?? [];
    const offset =
      pair.offsetSec !== undefined && Math.abs(pair.offsetSec) >= 0.05
        ? `, right is ${formatTime(Math.abs(pair.offsetSec))} ${pair.offsetSec > 0 ? 'later' : 'earlier'}`
        : '';
    this.title.textContent = `${counted(frames.length, 'matched frame')}${offset} (click: show both there)`;
    for (const f of framesToShow(frames)) {
      const b = h('button', {
        class: 'frame-row link',
        text: frameLabel(f),
        attrs: { type: 'button', role: 'listitem', 'data-a': String(f.a), 'data-b': String(f.b) },
      });
      b.addEventListener('click', () => this.seek(f.a, f.b));
      this.list.appendChild(b);
    }
  }
}
