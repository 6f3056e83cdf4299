/**
 * How a review comes back without a scan (after a reload, at startup, from Open Duplicates Gallery): one
 * load per folder and source at a time, shared by everyone who asks meanwhile (the status bar at startup
 * and the panel serializer, or Open Duplicates Gallery, would otherwise open two sessions on one
 * manifest), and never shown once a newer review overtook it: a scan that ends while the load reads the
 * older state opens its own review, and the load must not put the older one back in front of it. Pure
 * (no `vscode`), so the races are unit-tested.
 */
export class SharedLoad<T> {
  private readonly loading = new Map<string, Promise<T | undefined>>();
  private opened = 0;

  /** A review was opened another way (a scan ended): loads under way no longer show theirs. */
  overtaken(): void {
    this.opened++;
  }

  /**
   * `run`'s result, shown with `show` unless a review was opened meanwhile (then undefined: the newer one
   * stands). A load of `key` already under way is shared, not started again.
   */
  load(key: string, run: () => Promise<T | undefined>, show: (t: T) => void): Promise<T | undefined> {
    const pending = this.loading.get(key);
    if (pending) return pending;
    const since = this.opened;
    const promise = run()
      .then((t) => {
        if (t === undefined || this.opened !== since) return undefined;
        show(t);
        return t;
      })
      .finally(() => {
        if (this.loading.get(key) === promise) this.loading.delete(key);
      });
    this.loading.set(key, promise);
    return promise;
  }
}
