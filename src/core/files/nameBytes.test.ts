import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fsPath, hasEscapedBytes, nameFromBytes, nameToBytes } from './nameBytes.js';

test('names: valid UTF-8 is its text; every other byte is U+DC80+byte (Python surrogateescape), and the bytes come back', () => {
  const cases: [number[], string][] = [
    [[0x61, 0x2e, 0x6a, 0x70, 0x67], 'a.jpg'],
    [[0xc3, 0xa9], 'é'],
    [[0xf0, 0x9f, 0x98, 0x80], '😀'],
    [[0x61, 0xff, 0x62], 'a\udcffb'],
    [[0xe9, 0x2e, 0x6a], '\udce9.j'], // Latin-1 é
    [[0xc0, 0xaf], '\udcc0\udcaf'], // overlong "/"
    [[0xed, 0xa0, 0x80], '\udced\udca0\udc80'], // an encoded surrogate is not UTF-8
    [[0xe2, 0x82], '\udce2\udc82'], // truncated sequence
    [[0x5c, 0x0a, 0x2d], '\\\n-'], // backslash, newline, dash: ordinary characters
  ];
  for (const [bytes, text] of cases) {
    assert.equal(nameFromBytes(Uint8Array.from(bytes)), text, JSON.stringify(bytes));
    assert.deepEqual([...nameToBytes(text)], bytes, text);
  }
  assert.equal(hasEscapedBytes('a\udcffb'), true);
  assert.equal(hasEscapedBytes('😀.jpg'), false);
  assert.equal(typeof fsPath('a.jpg'), 'string');
  assert.ok(Buffer.isBuffer(fsPath('a\udcffb')));
  // Exactly Python's: json.dumps writes the escape, os.fsencode turns it back into the byte.
  assert.equal(JSON.stringify('a\udcffb'), '"a\\udcffb"');
  // Every byte string round-trips.
  let seed = 1;
  for (let n = 0; n < 2000; n++) {
    const len = 1 + (n % 12);
    const b = Uint8Array.from({ length: len }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    assert.deepEqual([...nameToBytes(nameFromBytes(b))], [...b]);
  }
});
