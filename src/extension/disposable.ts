/**
 * Cleanup in one place, in the style of VS Code's own extensions: an object that owns listeners, timers,
 * panels or commands extends `Disposable` and hands each one to `_register` when it creates it, so its
 * `dispose()` releases them all (last registered first) and nothing is kept in a hand-kept array.
 * No `vscode` here: `vscode.Disposable` has the same shape as `IDisposable`, so this is tested on plain Node.
 */

export interface IDisposable {
  dispose(): void;
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose: () => {
      if (done) return;
      done = true;
      fn();
    },
  };
}

/** A timer that is cleared when disposed: a pending callback never outlives its owner. */
export function timeout(fn: () => void, ms: number): IDisposable {
  const handle = setTimeout(fn, ms);
  return toDisposable(() => clearTimeout(handle));
}

/**
 * Disposes every item, last first, and goes on when one throws (a failing listener must not leak the
 * rest); the first error is rethrown at the end.
 */
export function disposeAll(items: IDisposable[]): void {
  let first: unknown;
  let failed = false;
  while (items.length > 0) {
    try {
      items.pop()!.dispose();
    } catch (err) {
      if (!failed) first = err;
      failed = true;
    }
  }
  if (failed) throw first;
}

export abstract class Disposable implements IDisposable {
  private readonly _owned: IDisposable[] = [];
  private _isDisposed = false;

  /** Takes ownership of `value`: it is disposed with this object (at once when this one is already disposed). */
  protected _register<T extends IDisposable>(value: T): T {
    if (this._isDisposed) value.dispose();
    else this._owned.push(value);
    return value;
  }

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._owned);
  }
}

/** Holds at most one disposable: setting a new value (or clearing) disposes the previous one. */
export class MutableDisposable<T extends IDisposable> implements IDisposable {
  private _value: T | undefined;
  private _isDisposed = false;

  get value(): T | undefined {
    return this._value;
  }

  set value(next: T | undefined) {
    if (next === this._value) return;
    const previous = this._value;
    this._value = this._isDisposed ? undefined : next;
    previous?.dispose();
    if (this._isDisposed) next?.dispose();
  }

  clear(): void {
    this.value = undefined;
  }

  dispose(): void {
    this.clear();
    this._isDisposed = true;
  }
}

/**
 * Work that runs once: after `ms`, or on the next turn of the event loop when `soon()` is called first
 * (so the caller returns before it runs). Disposing it before then cancels it; its timer never outlives it.
 */
export class ScheduledTask implements IDisposable {
  private fn: (() => void) | undefined;
  private timer: IDisposable;

  constructor(fn: () => void, ms: number) {
    this.fn = fn;
    this.timer = timeout(() => this.run(), ms);
  }

  soon(): void {
    if (!this.fn) return;
    this.timer.dispose();
    this.timer = timeout(() => this.run(), 0);
  }

  private run(): void {
    const fn = this.fn;
    this.dispose();
    fn?.();
  }

  dispose(): void {
    this.fn = undefined;
    this.timer.dispose();
  }
}
