import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BINDINGS, commandForKey } from './keymap.js';

describe('keyboard triage', () => {
  it('maps the documented keys, ignoring modified ones', () => {
    assert.equal(commandForKey({ key: 'ArrowLeft' }), 'keep-left');
    assert.equal(commandForKey({ key: 'A' }), 'keep-left');
    assert.equal(commandForKey({ key: 'd' }), 'keep-right');
    assert.equal(commandForKey({ key: 'b' }), 'keep-both');
    assert.equal(commandForKey({ key: 'n' }), 'not-duplicate');
    assert.equal(commandForKey({ key: 's' }), 'not-duplicate');
    assert.equal(commandForKey({ key: 'Backspace' }), 'undo');
    assert.equal(commandForKey({ key: 'j' }), 'next');
    assert.equal(commandForKey({ key: 'ArrowUp' }), 'prev');
    assert.equal(commandForKey({ key: ' ' }), 'flicker');
    assert.equal(commandForKey({ key: 'o' }), 'overlay');
    assert.equal(commandForKey({ key: 'a', ctrlKey: true }), undefined);
    assert.equal(commandForKey({ key: 'p', metaKey: true }), undefined);
    assert.equal(commandForKey({ key: 'x' }), undefined);
  });

  it('binds no key twice and shows a hint for every command', () => {
    const keys = BINDINGS.flatMap((b) => b.keys);
    assert.equal(new Set(keys).size, keys.length);
    for (const b of BINDINGS) assert.ok(b.hint && b.label);
  });
});
