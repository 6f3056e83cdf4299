import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Selection } from './selection.js';

describe('multi-select', () => {
  const view = [7, 3, 9, 1, 5]; // items (pair indices) in display order

  it('a plain click selects one item and clears a selection', () => {
    const s = new Selection();
    s.click(view, 1, { toggle: true }, 7);
    assert.deepEqual(s.inView(view), [7, 3]);
    s.click(view, 2, {});
    assert.equal(s.size, 0);
  });

  it('Ctrl + click adds and removes items; Shift + click selects the range from the anchor', () => {
    const s = new Selection();
    s.click(view, 0, {});
    s.click(view, 3, { shift: true }, 7);
    assert.deepEqual(s.inView(view), [7, 3, 9, 1]);
    s.click(view, 2, { toggle: true });
    assert.deepEqual(s.inView(view), [7, 3, 1]);
    // Shift after Ctrl: the range from the last Ctrl-clicked item.
    s.click(view, 4, { shift: true });
    assert.deepEqual(s.inView(view), [9, 1, 5]);
  });

  it('Shift + arrow extends from the anchor both ways', () => {
    const s = new Selection();
    s.range(view, 3, 9); // from the current item (9, at 2) down to 1
    assert.deepEqual(s.inView(view), [9, 1]);
    s.range(view, 0);
    assert.deepEqual(s.inView(view), [7, 3, 9]);
  });

  it('acts only on what the view shows: items a filter hid are never in inView', () => {
    const s = new Selection();
    s.click(view, 0, {});
    s.click(view, 4, { shift: true });
    assert.equal(s.size, 5);
    const filtered = [3, 1];
    assert.deepEqual(s.inView(filtered), [3, 1]);
    assert.deepEqual(s.inView([]), []);
  });
});
