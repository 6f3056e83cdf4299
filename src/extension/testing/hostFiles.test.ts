import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hostFileProblems, readTree } from './hostFiles.js';

describe('which src/extension files use the vscode API', () => {
  it('are exactly the ones named *.vscode.ts', () => {
    const tree = readTree(join(__dirname, '..'));
    assert.ok(tree.some((f) => f.path === 'extension.vscode.ts') && tree.some((f) => f.path === 'review/session.ts'));
    assert.deepEqual(hostFileProblems(tree), []);
  });

  it('names both ways of breaking the rule', () => {
    const problems = hostFileProblems([
      { path: 'a.ts', text: "import * as vscode from 'vscode';" },
      { path: 'b.ts', text: "import type { Uri } from 'vscode';" },
      { path: 'c.vscode.ts', text: "import { x } from './x.js';" },
      { path: 'd.vscode.ts', text: "import * as vscode from 'vscode';" },
      { path: 'e.ts', text: "// mentions 'vscode' in a comment\nimport { join } from 'node:path';" },
    ]);
    assert.equal(problems.length, 3);
    assert.match(problems[0]!, /^a\.ts imports vscode/);
    assert.match(problems[1]!, /^b\.ts imports vscode/);
    assert.match(problems[2]!, /^c\.vscode\.ts does not import vscode/);
  });
});
