/**
 * The names of a list's files made distinct across the whole list, kept per list of paths and width. Made
 * later than asked (`later`: after the frame that shows the first rows), as making them for 100k paths takes
 * about a second. Keyed on the pairs and the paths (pathsKey), not on the files array: a file changed on disk
 * gives a new array with the same paths, which must neither make the names again nor send the rows back to
 * their per-row names meanwhile. While names for a new width are made, the last ones made for the same pairs
 * and paths are given; for a new list (other paths), none.
 */
export class ListNames {
  private made?: { readonly pairs: object; readonly paths: object; readonly chars: number; readonly byFile: ReadonlyMap<number, string> };
  private pending = false;

  constructor(private readonly later: (run: () => void) => void) {}

  /**
   * The names of the list's files at `chars` characters, or the last made for the same pairs and paths, or
   * undefined (none yet: each row names its two as a pair alone). Where they are not the ones asked for,
   * `make` is run later (once at a time) and `done` after it, to draw the rows again.
   */
  get(pairs: object, paths: object, chars: number, make: () => ReadonlyMap<number, string>, done: () => void): ReadonlyMap<number, string> | undefined {
    const last = this.made;
    const same = last !== undefined && last.pairs === pairs && last.paths === paths;
    if (same && last.chars === chars) return last.byFile;
    if (!this.pending) {
      this.pending = true;
      this.later(() => {
        this.pending = false;
        this.made = { pairs, paths, chars, byFile: make() };
        done();
      });
    }
    return same ? last.byFile : undefined;
  }
}
