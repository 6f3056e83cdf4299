import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { scanFilePath } from './scanFile.js';

describe('scanFilePath', () => {
  it("joins the engine's '/'-separated path under the root with this platform's separator", () => {
    const root = path.join(path.sep, 'data', 'set');
    assert.equal(scanFilePath(root, 'sub/deep/a b.jpg'), path.join(root, 'sub', 'deep', 'a b.jpg'));
    assert.equal(scanFilePath(root, 'a.jpg'), path.join(root, 'a.jpg'));
  });

  it('takes an absolute path as it is', () => {
    const abs = path.join(path.sep, 'elsewhere', 'new.png');
    assert.equal(scanFilePath(path.join(path.sep, 'data'), abs), abs);
  });
});
