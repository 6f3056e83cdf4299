/**
 * The current pair, large: left (a) and right (b) side by side with path, resolution and size, or one
 * stage that flickers between them or overlays them. The action buttons carry `data-action` and show
 * their keys, so mouse and keyboard users see the same triage.
 */
import { hasherLabel } from './hasherLabel.js';
import type { FileEntry } from './files.js';
import type { PairView, PairViaView } from '../src/shared/protocol.js';
import type { FileShown, PairShown } from './decisionState.js';
import { formatCount } from '../src/shared/counted.js';
import { clear, h } from './dom.js';
import { formatBytes, formatDistance, formatResolution, formatTime, paneCaption, playsAsImage } from './format.js';
import { FrameList } from './frameList.js';
import { bindingFor, type Command } from './keymap.js';
import { fileLabel, pairLabel } from './labels.js';
import { setPairAttributes } from './pairList.js';
import type { CompareMode } from './model.js';

/** Why a pair is listed when its whole files' hash distance does not say it. */
const VIA_TEXT: Readonly<Record<PairViaView, string>> = {
  flat: 'near-flat images, matched by colour',
  'content-box': 'matched after trimming borders',
  'crop-window': 'matched in a crop window',
};
import type { Thumbs } from './thumbs.js';
import { VideoStage } from './videoStage.js';

export interface CompareDeps {
  readonly thumbs: Thumbs;
  run(command: Command): void;
  open(file: number): void;
  /** Asks the host for video `file`'s frame at `at` seconds (answered by `acceptFrame`). */
  frame(file: number, at: number): void;
}

const ACTION_BUTTONS: readonly Command[] = ['keep-left', 'keep-right', 'keep-both', 'not-duplicate', 'undo', 'redo', 'prev', 'next', 'flicker', 'overlay'];
const FLICKER_MS = 450;

interface Pane {
  readonly root: HTMLElement;
  readonly img: HTMLImageElement;
  readonly video: HTMLVideoElement;
  readonly verdict: HTMLElement;
  readonly reason: HTMLElement;
  readonly path: HTMLButtonElement;
  readonly meta: HTMLElement;
  readonly error: HTMLElement;
}

export class CompareView {
  readonly root: HTMLElement;
  private readonly head: HTMLElement;
  private readonly title: HTMLElement;
  private readonly distance: HTMLElement;
  private readonly status: HTMLElement;
  private readonly panes: HTMLElement;
  private readonly left: Pane;
  private readonly right: Pane;
  private readonly stage: HTMLElement;
  private readonly stageA: HTMLImageElement;
  private readonly stageB: HTMLImageElement;
  private readonly stageLabel: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly frameList: FrameList;
  private mode: CompareMode = 'side';
  private flickerTimer: ReturnType<typeof setInterval> | undefined;
  private shown: { pair: number; a: number; b: number } | undefined;
  private stageUris: [string, string] = ['', ''];
  /** A video pair's stage: the matched frames' stills (videoStage.ts). */
  private readonly videoStage: VideoStage;
  private readonly stageButtons: HTMLElement[] = [];

  constructor(private readonly deps: CompareDeps) {
    this.videoStage = new VideoStage((file, at) => deps.frame(file, at));
    this.title = h('span', { class: 'compare-title' });
    this.distance = h('span', { class: 'compare-distance' });
    this.status = h('span', { class: 'badge status' });
    this.head = h('div', { class: 'compare-head' }, [this.title, this.distance, this.status]);
    this.left = this.makePane('left');
    this.right = this.makePane('right');
    this.stageA = h('img', { class: 'stage-a', attrs: { alt: '' } });
    this.stageB = h('img', { class: 'stage-b', attrs: { alt: '' } });
    this.stageLabel = h('div', { class: 'stage-label' });
    this.stage = h('div', { class: 'stage' }, [this.stageA, this.stageB, this.stageLabel]);
    this.panes = h('div', { class: 'panes mode-side' }, [this.left.root, this.stage, this.right.root]);
    const actions = h('div', { class: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Triage' } });
    for (const cmd of ACTION_BUTTONS) {
      const b = bindingFor(cmd);
      const btn = h('vscode-button', { attrs: { 'data-action': cmd, title: `${b.label} (${b.hint})` } }, [
        document.createTextNode(`${b.label} `),
        h('kbd', { text: b.hint }),
      ]);
      if (!['keep-left', 'keep-right', 'keep-both', 'not-duplicate'].includes(cmd)) btn.setAttribute('secondary', '');
      btn.addEventListener('click', () => this.deps.run(cmd));
      if (cmd === 'flicker' || cmd === 'overlay') this.stageButtons.push(btn);
      actions.appendChild(btn);
    }
    this.empty = h('div', { class: 'compare-empty', text: 'No pair matches the filters.' });
    // Matched frames of a video pair: a click seeks both videos to that moment.
    this.frameList = new FrameList(
      (a, b) => this.seekBoth(a, b),
      () => this.playBoth(),
    );
    this.root = h('div', { class: 'compare' }, [this.head, this.panes, this.frameList.root, actions, this.empty]);
  }

  private makePane(side: 'left' | 'right'): Pane {
    const img = h('img', { class: 'pane-img', attrs: { alt: '', decoding: 'async' } });
    const video = h('video', { class: 'pane-video', attrs: { controls: '', muted: '', preload: 'metadata' } });
    video.hidden = true;
    const error = h('div', { class: 'pane-error' });
    error.hidden = true;
    img.addEventListener('error', () => {
      if (!img.getAttribute('src')) return;
      error.textContent = 'This file cannot be displayed here.';
      error.hidden = false;
    });
    img.addEventListener('load', () => (error.hidden = true));
    const verdict = h('span', { class: 'verdict' });
    const reason = h('div', { class: 'pane-reason' });
    const path = h('button', { class: 'pane-path link', attrs: { type: 'button' } });
    const meta = h('div', { class: 'pane-meta' });
    const label = h('span', { class: 'pane-side', text: side === 'left' ? 'Left' : 'Right' });
    const root = h('figure', { class: `pane pane-${side}`, attrs: { 'data-side': side } }, [
      h('div', { class: 'frame' }, [img, video, error]),
      h('figcaption', {}, [h('div', { class: 'pane-line' }, [label, verdict]), path, meta, reason]),
    ]);
    return { root, img, video, verdict, reason, path, meta, error };
  }

  setMode(mode: CompareMode): void {
    // A video pair without matched frames has nothing to put on the stage (the buttons say why).
    if (mode !== 'side' && this.videoStage.unavailable) mode = 'side';
    this.mode = mode;
    this.panes.className = `panes mode-${mode}`;
    if (this.flickerTimer) clearInterval(this.flickerTimer);
    this.flickerTimer = undefined;
    this.stage.classList.remove('show-b');
    if (mode === 'flicker') {
      this.updateStageLabel();
      this.flickerTimer = setInterval(() => {
        this.stage.classList.toggle('show-b');
        this.updateStageLabel();
      }, FLICKER_MS);
    } else {
      this.updateStageLabel();
    }
    this.applyStage();
  }

  /** The stage's images load only while a stage mode is on: side by side is the common case and needs two loads, not four. */
  private applyStage(): void {
    const [ua, ub] = this.mode === 'side' ? ['', ''] : this.videoStage.active ? this.videoStage.stageUris() : this.stageUris;
    this.stage.toggleAttribute('data-video-frames', this.videoStage.active);
    for (const [img, uri] of [
      [this.stageA, ua],
      [this.stageB, ub],
    ] as const) {
      if ((img.getAttribute('src') ?? '') === uri) continue;
      if (uri) img.setAttribute('src', uri);
      else img.removeAttribute('src');
    }
  }

  get compareMode(): CompareMode {
    return this.mode;
  }

  private updateStageLabel(): void {
    const v = this.videoStage.active;
    const at = (side?: 'left' | 'right'): string => (v ? ` ${this.videoStage.label(side)}` : '');
    if (this.mode === 'flicker') {
      const right = this.stage.classList.contains('show-b');
      this.stageLabel.textContent = `${right ? 'Right' : 'Left'}${at(right ? 'right' : 'left')}`;
    } else
      this.stageLabel.textContent =
        this.mode === 'overlay' ? `Right over left, 50 %${at()}` : this.mode === 'difference' ? `Difference (black = identical)${at()}` : '';
  }

  /** A video frame the host made (or could not): on the stage when it is one of the moment shown. */
  acceptFrame(file: number, at: number, uri: string | undefined, error: string | undefined): void {
    if (!this.videoStage.accept(file, at, uri, error)) return;
    this.applyStage();
    this.updateStageLabel();
  }

  /** Flicker and Overlay on or off for this pair, with the reason on the buttons when off. */
  private updateStageButtons(): void {
    const why = this.videoStage.unavailable;
    for (const b of this.stageButtons) {
      b.toggleAttribute('disabled', why !== undefined);
      b.setAttribute('aria-disabled', String(why !== undefined));
      const cmd = b.getAttribute('data-action') as Command;
      const k = bindingFor(cmd);
      b.setAttribute('title', why ?? `${k.label} (${k.hint})`);
    }
  }

  /** The files on screen changed on disk: the next `show` draws the pair from scratch (new URIs, new thumbnails). */
  invalidate(): void {
    this.shown = undefined;
  }

  showEmpty(message: string): void {
    this.shown = undefined;
    this.root.classList.add('is-empty');
    for (const a of ['data-pair-index', 'data-left-path', 'data-right-path', 'data-left-decision', 'data-right-decision', 'data-verdict', 'data-by'])
      this.root.removeAttribute(a);
    this.empty.textContent = message;
  }

  show(index: number, pair: PairView, shown: PairShown | undefined, files: readonly FileEntry[], pos: number, total: number): void {
    this.root.classList.remove('is-empty');
    this.root.setAttribute('data-pair-index', String(index));
    this.title.textContent = `Pair ${formatCount(pos + 1)} of ${formatCount(total)}`;
    // A near-flat pair's hash distance is noise and may exceed the threshold, and a crop-resistant pair's whole hashes differ: say why it is listed.
    const via = pair.via ? `; ${VIA_TEXT[pair.via]}` : '';
    this.distance.textContent = `distance ${formatDistance(pair.distance)} (${hasherLabel(pair.hasher)}${pair.transform && pair.transform !== 'r0' ? `, ${pair.transform}` : ''}${via})`;
    this.status.textContent = shown ? pairLabel(shown, (i) => files[i]?.path ?? '?') : '…';
    this.status.className = `badge status verdict-${shown?.verdict ?? 'pending'} by-${shown?.by ?? 'pending'}`;
    const fa = files[pair.a]!;
    const fb = files[pair.b]!;
    setPairAttributes(this.root, fa.path, fb.path, shown);
    const changed = !this.shown || this.shown.a !== pair.a || this.shown.b !== pair.b;
    this.shown = { pair: index, a: pair.a, b: pair.b };
    this.fillPane(this.left, pair.a, fa, fb.path, shown?.left, changed);
    this.fillPane(this.right, pair.b, fb, fa.path, shown?.right, changed);
    this.stageUris = [this.deps.thumbs.large(pair.a, fa) ?? '', this.deps.thumbs.large(pair.b, fb) ?? ''];
    const video = fa.kind === 'video' && fb.kind === 'video';
    if (changed) {
      this.videoStage.set(video ? pair : undefined);
      this.updateStageButtons();
      if (this.mode !== 'side' && this.videoStage.unavailable) this.setMode('side');
      else this.updateStageLabel();
    }
    this.applyStage();
    if (changed) this.frameList.show(video ? pair : undefined);
  }

  /** Both videos paused at a matched moment (a's time on the left, b's on the right). */
  private seekBoth(a: number, b: number): void {
    // The stage (Flicker, Overlay) shows this moment too.
    this.videoStage.seek(a, b);
    this.applyStage();
    this.updateStageLabel();
    for (const [pane, t] of [
      [this.left, a],
      [this.right, b],
    ] as const) {
      if (pane.video.hidden) continue;
      pane.video.pause();
      pane.video.currentTime = t;
    }
  }

  /** Plays (or pauses) both videos together, from where each stands. */
  private playBoth(): void {
    const videos = [this.left.video, this.right.video].filter((v) => !v.hidden);
    const playing = videos.some((v) => !v.paused);
    for (const v of videos) {
      if (playing) v.pause();
      else void v.play().catch(() => {});
    }
  }

  /** Re-applies thumbnails that arrived after the pair was shown. */
  refreshImages(files: readonly FileEntry[]): void {
    if (!this.shown) return;
    for (const [pane, i] of [
      [this.left, this.shown.a],
      [this.right, this.shown.b],
    ] as const) {
      const f = files[i];
      if (f && f.kind === 'image' && !pane.img.getAttribute('src')) {
        const uri = this.deps.thumbs.large(i, f);
        if (uri) pane.img.setAttribute('src', uri);
      }
      if (f && f.kind === 'video' && !pane.video.hidden && !pane.video.getAttribute('poster')) {
        const poster = this.deps.thumbs.small(i, f);
        if (poster) pane.video.setAttribute('poster', poster);
      }
    }
  }

  /** `other`: the pair's other file, which the caption must be told apart from (paneCaption). */
  private fillPane(p: Pane, index: number, f: FileEntry, other: string, file: FileShown | undefined, changed: boolean): void {
    // What the manifest says of this file (remove iff it is in `remove`); the pair's selectors are on the compare view itself.
    if (file) p.root.setAttribute('data-file-decision', file.decision);
    else p.root.removeAttribute('data-file-decision');
    p.verdict.textContent = file ? fileLabel(file.decision, file.by, file.suggested) : '';
    p.verdict.className = `verdict verdict-${file?.decision ?? 'none'} by-${file?.by ?? 'none'}${file?.suggested ? ' suggested' : ''}`;
    p.reason.textContent = file?.reason ?? '';
    if (!changed) return;
    p.root.setAttribute('data-file', String(index));
    const caption = paneCaption(f.path, other);
    p.path.textContent = caption.text;
    p.path.classList.toggle('cut-end', caption.cutEnd);
    p.path.title = `Open ${f.path}`;
    p.path.onclick = () => this.deps.open(index);
    clear(p.meta);
    p.meta.append(
      h('span', { text: formatResolution(f.width, f.height) }),
      h('span', { text: formatBytes(f.size) }),
      h('span', { text: f.durationSec !== undefined ? `${f.kind} ${formatTime(f.durationSec)}` : f.kind }),
    );
    p.error.hidden = true;
    if (f.kind === 'video' && !playsAsImage(f.path)) {
      p.img.hidden = true;
      p.img.removeAttribute('src');
      p.video.hidden = false;
      // The poster frame (from the host's thumbnail cache) shows until the video plays; preload=metadata draws nothing before it arrives.
      const poster = this.deps.thumbs.small(index, f);
      if (poster) p.video.setAttribute('poster', poster);
      else p.video.removeAttribute('poster');
      p.video.src = f.uri;
    } else {
      p.video.pause();
      p.video.hidden = true;
      p.video.removeAttribute('src');
      p.img.hidden = false;
      const uri = this.deps.thumbs.large(index, f);
      if (uri) p.img.setAttribute('src', uri);
      else p.img.removeAttribute('src');
      p.img.alt = f.path;
    }
  }
}
