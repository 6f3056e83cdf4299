import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GalleryInit } from '../src/shared/protocol.js';
import { pathsKey, withUris, withVersions } from './files.js';
import { ListNames } from './listNames.js';

describe("the names of a pair list's files, kept per list of paths and width", () => {
  const base = 'https://file+.vscode-resource.vscode-cdn.net/data';
  const file = (path: string) => ({ path, version: '1-1', thumb: false, renderable: true, kind: 'image' as const, width: 1, height: 1, size: 1 });
  const init = () => withUris({ baseUri: base, files: [file('a/1.jpg'), file('a/2.jpg')] } as unknown as GalleryInit);
  const pairs = [{ a: 0, b: 1, distance: 0 }];

  function setup() {
    const queue: (() => void)[] = [];
    const names = new ListNames((run) => queue.push(run));
    let made = 0;
    let drawn = 0;
    const get = (files: ReturnType<typeof init>, chars: number, p: object = pairs) =>
      names.get(
        p,
        pathsKey(files),
        chars,
        () => new Map([[0, `${++made}:${chars}`]]),
        () => drawn++,
      );
    const flush = () => queue.splice(0).forEach((run) => run());
    return { get, flush, queue, made: () => made, drawn: () => drawn };
  }

  it('a file changed on disk (a new files array, the same paths) neither makes the names again nor drops them', () => {
    const c = setup();
    let files = init();
    assert.equal(c.get(files, 24), undefined, 'none yet: each row names its two alone');
    assert.equal(c.get(files, 24), undefined);
    assert.equal(c.queue.length, 1, 'made once at a time');
    c.flush();
    assert.equal(c.drawn(), 1);
    const first = c.get(files, 24);
    assert.equal(first?.get(0), '1:24');
    for (let v = 2; v < 5; v++) {
      files = withVersions(base, files, [{ file: v % 2, version: `1-${v}` }]);
      assert.equal(c.get(files, 24), first, `change ${v}: the names made before`);
    }
    assert.equal(c.queue.length, 0, 'nothing to make again');
    assert.equal(c.made(), 1);
  });

  it('at a new width gives the last names while new ones are made; for a new list, none', () => {
    const c = setup();
    const files = init();
    c.get(files, 24);
    c.flush();
    const first = c.get(files, 24);
    assert.equal(c.get(files, 30), first, 'the same paths at another width: the last names meanwhile');
    c.flush();
    assert.equal(c.get(files, 30)?.get(0), '2:30');
    assert.equal(c.get(init(), 30), undefined, 'a new init: other paths, the old names stand for other files');
    c.flush();
    assert.equal(c.made(), 3);
    assert.equal(c.get(files, 30), undefined, 'nor a list of other pairs');
    assert.equal(c.get(files, 30, [...pairs]), undefined);
  });
});
