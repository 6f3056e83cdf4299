import { test } from 'node:test';
import assert from 'node:assert/strict';
import { _jsCrc32ForTest, crc32, crc32Hex } from './crc32.js';

test('crc32: the native and the fallback implementation agree', () => {
  for (const s of ['', 'a', '{"p":"ünï 写真.jpg"}', 'x'.repeat(1000)]) assert.equal(crc32Hex(s), _jsCrc32ForTest(s).toString(16).padStart(8, '0'));
  assert.equal(crc32Hex('123456789'), 'cbf43926'); // the standard check value
});

test('crc32: data in parts gives the CRC of the whole, for strings and bytes, native and fallback alike', () => {
  const whole = Buffer.from('{"p":"ünï 写真.jpg"}\n' + 'x'.repeat(1000));
  const [a, b] = [whole.subarray(0, 7), whole.subarray(7)];
  assert.equal(crc32(b, crc32(a)), crc32(whole));
  assert.equal(_jsCrc32ForTest(b, _jsCrc32ForTest(a)), crc32(whole));
  assert.equal(crc32(whole.toString('utf8')), crc32(whole));
});
