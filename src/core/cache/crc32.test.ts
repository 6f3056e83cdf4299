import { test } from 'node:test';
import assert from 'node:assert/strict';
import { _jsCrc32ForTest, crc32Hex } from './crc32.js';

test('crc32: the native and the fallback implementation agree', () => {
  for (const s of ['', 'a', '{"p":"ünï 写真.jpg"}', 'x'.repeat(1000)]) assert.equal(crc32Hex(s), _jsCrc32ForTest(s).toString(16).padStart(8, '0'));
  assert.equal(crc32Hex('123456789'), 'cbf43926'); // the standard check value
});
