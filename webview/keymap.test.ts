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
    assert.equal(commandForKey({ key: 'r' }), 'redo');
    assert.equal(commandForKey({ key: 'j' }), 'next');
    assert.equal(commandForKey({ key: 'ArrowUp' }), 'prev');
    assert.equal(commandForKey({ key: ' ' }), 'flicker');
    assert.equal(commandForKey({ key: 'o' }), 'overlay');
    assert.equal(commandForKey({ key: '?' }), 'help');
    assert.equal(commandForKey({ key: 'a', ctrlKey: true }), undefined);
    assert.equal(commandForKey({ key: 'p', metaKey: true }), undefined);
    assert.equal(commandForKey({ key: 'x' }), undefined);
  });

  it('in the clusters view, binds only what acts on the cluster on screen', () => {
    assert.equal(commandForKey({ key: 'j' }, 'clusters'), 'next');
    assert.equal(commandForKey({ key: 'k' }, 'clusters'), 'prev');
    assert.equal(commandForKey({ key: 'ArrowRight' }, 'clusters'), 'next-member');
    assert.equal(commandForKey({ key: 't' }, 'clusters'), 'keep-this');
    assert.equal(commandForKey({ key: 'y' }, 'clusters'), 'accept-cluster');
    assert.equal(commandForKey({ key: 'n' }, 'clusters'), 'cluster-not-duplicates');
    // No pair is on screen there: the pair verdict keys do nothing.
    for (const key of ['a', 'd', 'b', 's', '1', '2']) assert.equal(commandForKey({ key }, 'clusters'), undefined, key);
  });

  it('binds no key twice in a view and shows a hint for every command', () => {
    for (const view of ['pairs', 'clusters'] as const) {
      const keys = BINDINGS[view].flatMap((b) => b.keys);
      assert.equal(new Set(keys).size, keys.length, view);
      for (const b of BINDINGS[view]) assert.ok(b.hint && b.label);
    }
  });
});
