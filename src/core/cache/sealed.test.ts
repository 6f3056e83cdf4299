import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seal, sealFile, unseal, unsealFile } from './sealed.js';

test('sealed line: round trip; a torn or altered line is undefined', () => {
  const line = seal(JSON.stringify({ p: 'a\tb/ü.jpg', x: { phash: 'AAAA' } }));
  assert.ok(line.endsWith('\n'));
  assert.deepEqual(unseal(line.slice(0, -1)), { p: 'a\tb/ü.jpg', x: { phash: 'AAAA' } });
  assert.equal(unseal(line.slice(0, 20)), undefined);
  assert.equal(unseal(line.slice(0, -1).replace('AAAA', 'AAAB')), undefined);
  assert.equal(unseal(''), undefined);
});

test('sealed file: header and body round trip from parts; a torn, altered or missing body, or a damaged header, is undefined', () => {
  const parts = [Buffer.from('[1,2,3]'), Buffer.from('{"a":"ü"}')];
  const bytes = Buffer.concat(sealFile({ format: 'f', version: 1 }, parts).map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
  const back = unsealFile(bytes);
  assert.ok(back);
  assert.equal(back.header.format, 'f');
  assert.equal(back.header.version, 1);
  assert.equal(back.body.toString(), '[1,2,3]{"a":"ü"}');
  assert.equal(unsealFile(bytes.subarray(0, bytes.length - 1)), undefined, 'torn body');
  const altered = Buffer.from(bytes);
  altered[altered.length - 3] ^= 1;
  assert.equal(unsealFile(altered), undefined, 'a bit flipped in the body');
  const header = Buffer.from(bytes);
  header[3] ^= 1;
  assert.equal(unsealFile(header), undefined, 'a bit flipped in the header');
  assert.equal(unsealFile(bytes.subarray(0, bytes.indexOf(10))), undefined, 'no newline, no body');
  assert.equal(unsealFile(Buffer.from(seal('[1]') + 'x')), undefined, 'a header that is not an object');
});
