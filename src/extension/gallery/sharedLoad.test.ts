import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SharedLoad } from './sharedLoad.js';

/** A load that ends when told to. */
function gate<T>(): { run: () => Promise<T | undefined>; end: (t: T | undefined) => void; runs: number } {
  let end!: (t: T | undefined) => void;
  const g = {
    runs: 0,
    run: () => {
      g.runs++;
      return new Promise<T | undefined>((r) => (end = r));
    },
    end: (t: T | undefined) => end(t),
  };
  return g;
}

test('SharedLoad: a load under way is shared by whoever asks for the same folder and source', async () => {
  const loads = new SharedLoad<string>();
  const shown: string[] = [];
  const g = gate<string>();
  const a = loads.load('storage\0/data', g.run, (t) => shown.push(t));
  const b = loads.load('storage\0/data', g.run, (t) => shown.push(t));
  g.end('review');
  assert.deepEqual([await a, await b], ['review', 'review']);
  assert.equal(g.runs, 1, 'one session opened, not two');
  assert.deepEqual(shown, ['review']);
  // Once ended, the next ask loads again (the state may have changed).
  const again = gate<string>();
  const c = loads.load('storage\0/data', again.run, (t) => shown.push(t));
  again.end('later');
  assert.equal(await c, 'later');
  assert.equal(again.runs, 1);
});

test('SharedLoad: a scan that opens its review while a load reads the older state wins; the load shows nothing', async () => {
  const loads = new SharedLoad<string>();
  const shown: string[] = [];
  const g = gate<string>();
  const restoring = loads.load('manifest\0/data', g.run, (t) => shown.push(t));
  loads.overtaken(); // the scan ended and showed its own review
  g.end('stale');
  assert.equal(await restoring, undefined);
  assert.equal(shown.length, 0, 'the older state is not put back in front of the scan');
  // A load that starts after the scan shows its result as usual.
  const next = gate<string>();
  const fresh = loads.load('manifest\0/data', next.run, (t) => shown.push(t));
  next.end('current');
  assert.equal(await fresh, 'current');
  assert.deepEqual(shown, ['current']);
});
