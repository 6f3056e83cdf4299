/**
 * What Flicker and Overlay show for a video pair: the two videos' frames at one matched moment (the first
 * matched frame, or the one last clicked in the frame list), grabbed by the host on demand and cached
 * there. A video file itself cannot be drawn on the stage, so without these the stage was empty. A video
 * pair without matched frames (a review opened from the manifest, which does not list them) has no moment
 * to show: the stage modes are then off, and `unavailable` says why. No DOM here.
 */
import type { FrameMatchView } from '../src/shared/protocol.js';
import { formatTime } from './format.js';

export interface VideoPair {
  readonly a: number;
  readonly b: number;
  readonly frames?: readonly FrameMatchView[];
}

const keyOf = (file: number, at: number): string => `${file}@${at}`;

export class VideoStage {
  private pair: VideoPair | undefined;
  private moment: { a: number; b: number } | undefined;
  private readonly uris = new Map<string, string>();
  private readonly errors = new Map<string, string>();
  private readonly asked = new Set<string>();

  constructor(private readonly request: (file: number, at: number) => void) {}

  /** The pair shown now: a video pair (undefined for an image pair). It starts at its first matched frame. */
  set(pair: VideoPair | undefined): void {
    this.pair = pair;
    const first = pair?.frames?.[0];
    this.moment = first ? { a: first.a, b: first.b } : undefined;
  }

  get active(): boolean {
    return this.pair !== undefined;
  }

  /** Why the stage modes are off for this pair, or undefined when they work (or it is not a video pair). */
  get unavailable(): string | undefined {
    if (!this.pair || this.moment) return undefined;
    return 'Flicker and Overlay compare the frames the scan matched; this video pair has none listed (opened from the manifest): scan the folder again to see them';
  }

  /** A matched moment picked in the frame list: the stage shows it from now on. */
  seek(a: number, b: number): void {
    if (this.pair) this.moment = { a, b };
  }

  /** The left and right frames for the stage now ('' while one is on its way), asking the host for those it lacks. */
  stageUris(): [string, string] {
    const p = this.pair;
    const m = this.moment;
    if (!p || !m) return ['', ''];
    return [this.uriOf(p.a, m.a), this.uriOf(p.b, m.b)];
  }

  /** A frame arrived (or could not be made). True when it is one of the two the stage shows now. */
  accept(file: number, at: number, uri: string | undefined, error: string | undefined): boolean {
    const key = keyOf(file, at);
    if (uri) this.uris.set(key, uri);
    else this.errors.set(key, error ?? 'no frame');
    const p = this.pair;
    const m = this.moment;
    return !!p && !!m && ((file === p.a && at === m.a) || (file === p.b && at === m.b));
  }

  /** "at 0:01.0 ↔ 0:02.0" for the stage's label, with what went wrong when a frame could not be made. */
  label(side?: 'left' | 'right'): string {
    const p = this.pair;
    const m = this.moment;
    if (!p || !m) return '';
    const problem = [this.errors.get(keyOf(p.a, m.a)), this.errors.get(keyOf(p.b, m.b))].find((e) => e !== undefined);
    const at = side === 'left' ? `at ${formatTime(m.a)}` : side === 'right' ? `at ${formatTime(m.b)}` : `at ${formatTime(m.a)} ↔ ${formatTime(m.b)}`;
    return problem ? `${at} (no frame: ${problem})` : at;
  }

  private uriOf(file: number, at: number): string {
    const key = keyOf(file, at);
    const uri = this.uris.get(key);
    if (uri !== undefined) return uri;
    if (!this.asked.has(key) && !this.errors.has(key)) {
      this.asked.add(key);
      this.request(file, at);
    }
    return '';
  }
}
