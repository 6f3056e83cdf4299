import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { namedFilePath, scanFilePath } from './scanFile.js';

describe('scanFilePath', () => {
  it("joins the engine's '/'-separated path under the root with this platform's separator", () => {
    const root = path.join(path.sep, 'data', 'set');
    assert.equal(scanFilePath(root, 'sub/deep/a b.jpg'), path.join(root, 'sub', 'deep', 'a b.jpg'));
    assert.equal(scanFilePath(root, 'a.jpg'), path.join(root, 'a.jpg'));
  });

  it('refuses a name outside the root (absolute, or climbing out with ..), as a hand-edited manifest can write', () => {
    const root = path.join(path.sep, 'data', 'set');
    for (const rel of [path.join(path.sep, 'elsewhere', 'new.png'), '../set2/a.jpg', 'sub/../../b.jpg', '..', '.', ''])
      assert.throws(() => scanFilePath(root, rel), /not a file of/, rel);
    assert.equal(scanFilePath(root, 'sub/../a.jpg'), path.join(root, 'a.jpg'), 'a .. that stays inside is fine');
    assert.equal(scanFilePath(root + path.sep, 'a.jpg'), path.join(root, 'a.jpg'));
  });

  it('takes a file named on the command line as it is, relative to the working folder', () => {
    const abs = path.join(path.sep, 'elsewhere', 'new.png');
    assert.equal(namedFilePath(path.join(path.sep, 'cwd'), abs), abs);
    assert.equal(namedFilePath(path.join(path.sep, 'cwd'), 'x/new.png'), path.join(path.sep, 'cwd', 'x', 'new.png'));
  });
});
