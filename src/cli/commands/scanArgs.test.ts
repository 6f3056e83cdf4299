import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, parseHasherArg } from './scanArgs.js';

test('--hasher NAME[:SIZE][@THRESHOLD] parsing', () => {
  assert.deepEqual(parseHasherArg('phash'), { name: 'phash' });
  assert.deepEqual(parseHasherArg('phash:16@0.2'), { name: 'phash', hashSize: 16, threshold: 0.2 });
  assert.deepEqual(parseHasherArg('pdq@.25'), { name: 'pdq', threshold: 0.25 });
  assert.deepEqual(parseHasherArg('dhash:8'), { name: 'dhash', hashSize: 8 });
  assert.throws(() => parseHasherArg('phash@'), /Expected NAME\[:SIZE\]\[@THRESHOLD\] such as phash:16@0.2 .* for --hasher but received "phash@"/);
  assert.throws(() => parseHasherArg('phash:x'), /for --hasher/);
  assert.equal(csvField('plain.jpg'), 'plain.jpg');
  assert.equal(csvField('a, "copy".jpg'), '"a, ""copy"".jpg"');
});
