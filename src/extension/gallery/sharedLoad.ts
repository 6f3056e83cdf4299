/**
 * How a review comes back without a scan (after a reload, at startup, from Open Duplicates Gallery): one
 * load per folder and source at a time, shared by everyone who asks meanwhile (the status bar at startup
 * and the panel serializer, or Open Duplicates Gallery, would otherwise open two sessions on one
 * manifest), and never shown once a newer review of the same folder overtook it: a scan that ends while
 * the load reads the folder's older state opens its own review, and the load must not put the older one
 * back in front of it. A scan of another folder leaves the load alone. Pure (no `vscode`), so the races
 * are unit-tested.
 */
export class SharedLoad<T> {
  private readonly loading = new Map<string, Promise<T | LoadFailed | undefined>>();
  /** Per folder: how many reviews were opened another way. */
  private readonly opened = new Map<string, number>();

  /** A review of `root` was opened another way (its scan ended): loads of `root` under way no longer show theirs. */
  overtaken(root: string): void {
    this.opened.set(root, (this.opened.get(root) ?? 0) + 1);
  }

  /**
   * `run`'s result, shown with `show` unless a review of `root` was opened meanwhile (then undefined: the
   * newer one stands). A load of `key` already under way is shared, not started again. A load that could
   * not be done answers its LoadFailed to every caller who asked, shown to none: each reports it as it
   * reports failures (the first caller's choice is not everyone's).
   */
  load(root: string, key: string, run: () => Promise<T | LoadFailed | undefined>, show: (t: T) => void): Promise<T | LoadFailed | undefined> {
    const pending = this.loading.get(key);
    if (pending) return pending;
    const since = this.opened.get(root) ?? 0;
    const promise = run()
      .then((t) => {
        if (t === undefined || (this.opened.get(root) ?? 0) !== since) return undefined;
        if (t instanceof LoadFailed) return t;
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

/** A load that could not be done (it was logged): what to tell the person. */
export class LoadFailed {
  constructor(readonly message: string) {}
}
