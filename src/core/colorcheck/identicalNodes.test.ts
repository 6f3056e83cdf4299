import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COLOR_SIGNATURE_BYTES } from '../hashers/colorSignature.js';
import type { Pair } from '../types.js';
import { colourClasses } from './identicalNodes.js';
import { colorsAgree } from './verifyPairs.js';

/** A flat colour signature. */
const flat = (v: number): Uint8Array => new Uint8Array(COLOR_SIGNATURE_BYTES).fill(v);

test('colourClasses: a node of equal hashes splits into colour classes; pairs with the node are repeated for each other leader', () => {
  const grey = flat(100);
  const red = flat(200);
  assert.equal(colorsAgree(grey, red), false, 'the two signatures differ in colour');
  const sig: Record<string, Uint8Array | undefined> = {
    'n/1.png': grey,
    'n/2.png': grey,
    'n/3.png': red,
    'n/4.png': grey,
    'n/5.png': red,
    'n/6.png': undefined,
  };
  const pairs: Pair[] = [
    { a: 'a.png', b: 'n/1.png', distance: 0.1, hasher: 'phash' },
    { a: 'n/1.png', b: 'n/2b.png', distance: 0.02, hasher: 'phash', transform: 'r90' },
    { a: 'n/1.png', b: 'z.png', distance: 0.05, hasher: 'phash', transform: 'r90' },
  ];
  const r = colourClasses([['n/1.png', 'n/2.png', 'n/3.png', 'n/4.png', 'n/5.png', 'n/6.png']], pairs, (p) => sig[p]);
  assert.deepEqual(r.identical, [
    ['n/1.png', 'n/2.png', 'n/4.png', 'n/6.png'],
    ['n/3.png', 'n/5.png'],
  ]);
  assert.deepEqual([...r.leaders].sort(), ['n/1.png', 'n/3.png']);
  assert.deepEqual(r.pairs, [
    { a: 'a.png', b: 'n/1.png', distance: 0.1, hasher: 'phash' },
    { a: 'a.png', b: 'n/3.png', distance: 0.1, hasher: 'phash' },
    { a: 'n/1.png', b: 'n/2b.png', distance: 0.02, hasher: 'phash', transform: 'r90' },
    { a: 'n/1.png', b: 'z.png', distance: 0.05, hasher: 'phash', transform: 'r90' },
    { a: 'n/2b.png', b: 'n/3.png', distance: 0.02, hasher: 'phash', transform: 'r270' },
    { a: 'n/3.png', b: 'z.png', distance: 0.05, hasher: 'phash', transform: 'r90' },
  ]);
  // One colour: one class, pairs untouched; a class of one file is no node.
  const one = colourClasses([['n/1.png', 'n/2.png']], pairs, (p) => sig[p]);
  assert.deepEqual(one.identical, [['n/1.png', 'n/2.png']]);
  assert.deepEqual(one.pairs, pairs);
  assert.deepEqual(colourClasses([['n/1.png', 'n/3.png']], [], (p) => sig[p]).identical, []);
});
