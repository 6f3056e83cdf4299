import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fixtureResult } from './fixtureResult.js';
import { linkSynthetic, syntheticResult } from './synthetic.js';

describe('synthetic pairs (the e2e measurement)', () => {
  it('makes synthetic pairs that borrow real pixels', () => {
    const { result, sourceOf } = syntheticResult(fixtureResult(), 250);
    assert.equal(result.pairs.length, 250);
    assert.equal(new Set(result.pairs.flatMap((p) => [p.a, p.b])).size, 500);
    for (const p of result.pairs) assert.ok(p.a < p.b && p.distance < 0.2);
    assert.ok(result.files.every((f) => ['a.jpg', 'b.jpg', 'big.png', 'lonely.jpg', 'sub/c.tif'].includes(sourceOf.get(f.path)!)));
  });

  it('makes clusters with every pair listed: 330 copies of one picture are 54,285 pairs', () => {
    const one = syntheticResult(fixtureResult(), 54_285, undefined, 330).result;
    assert.equal(one.pairs.length, 54_285);
    assert.equal(one.files.length, 330);
    assert.equal(one.clusters.length, 1);
    assert.equal(one.clusters[0]!.members.length, 329);
    const many = syntheticResult(fixtureResult(), 50_000, undefined, 11).result;
    assert.equal(many.pairs.length, 50_000);
    assert.equal(many.clusters.length, 910);
    for (let i = 1; i < many.pairs.length; i++) {
      const [p, q] = [many.pairs[i - 1]!, many.pairs[i]!];
      assert.ok(p.a < q.a || (p.a === q.a && p.b < q.b), 'pairs sorted by (a, b)');
    }
  });

  it('lives in a folder of its own, each file a link to the real file it borrows', async () => {
    const real = mkdtempSync(join(tmpdir(), 'md-synth-real-'));
    const base = fixtureResult(real);
    mkdirSync(join(real, 'sub'));
    for (const f of base.files) writeFileSync(join(real, f.path), `pixels of ${f.path}`);
    const root = join(mkdtempSync(join(tmpdir(), 'md-synth-')), 'synthetic');
    const s = syntheticResult(base, 30, root);
    assert.equal(s.result.root, root);
    await linkSynthetic(s, real);
    for (const f of s.result.files) {
      const src = s.sourceOf.get(f.path)!;
      assert.equal(readFileSync(join(root, f.path), 'utf8'), `pixels of ${src}`);
      assert.equal(statSync(join(root, f.path)).ino, statSync(join(real, src)).ino, 'a link, not a copy');
    }
  });
});
