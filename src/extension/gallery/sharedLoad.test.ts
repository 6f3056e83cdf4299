import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoadFailed, SharedLoad } from './sharedLoad.js';

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
  const a = loads.load('/data', 'storage\0/data', g.run, (t) => shown.push(t));
  const b = loads.load('/data', 'storage\0/data', g.run, (t) => shown.push(t));
  g.end('review');
  assert.deepEqual([await a, await b], ['review', 'review']);
  assert.equal(g.runs, 1, 'one session opened, not two');
  assert.deepEqual(shown, ['review']);
  // Once ended, the next ask loads again (the state may have changed).
  const again = gate<string>();
  const c = loads.load('/data', 'storage\0/data', again.run, (t) => shown.push(t));
  again.end('later');
  assert.equal(await c, 'later');
  assert.equal(again.runs, 1);
});

test('SharedLoad: a scan that opens its review while a load reads the older state wins; the load shows nothing', async () => {
  const loads = new SharedLoad<string>();
  const shown: string[] = [];
  const g = gate<string>();
  const restoring = loads.load('/data', 'manifest\0/data', g.run, (t) => shown.push(t));
  loads.overtaken('/data'); // the scan ended and showed its own review
  g.end('stale');
  assert.equal(await restoring, undefined);
  assert.equal(shown.length, 0, 'the older state is not put back in front of the scan');
  // A load that starts after the scan shows its result as usual.
  const next = gate<string>();
  const fresh = loads.load('/data', 'manifest\0/data', next.run, (t) => shown.push(t));
  next.end('current');
  assert.equal(await fresh, 'current');
  assert.deepEqual(shown, ['current']);
});

test("SharedLoad: a scan of another folder leaves a folder's load to show its review", async () => {
  const loads = new SharedLoad<string>();
  const shown: string[] = [];
  const a = gate<string>();
  const b = gate<string>();
  // After a reload: folder A's panel comes back and restores A; B's last scan is restored too.
  const restoringA = loads.load('/a', 'storage\0/a', a.run, (t) => shown.push(t));
  const restoringB = loads.load('/b', 'storage\0/b', b.run, (t) => shown.push(t));
  loads.overtaken('/b'); // a scan of B ends meanwhile and shows its own review
  a.end('review of A');
  b.end('older review of B');
  assert.equal(await restoringA, 'review of A', "A's saved scan still comes back: its panel is not left blank");
  assert.equal(await restoringB, undefined, "B's newer review stands");
  assert.deepEqual(shown, ['review of A']);
});

test('SharedLoad: a load that fails answers its failure to everyone who joined it (each reports it its own way) and shows nothing', async () => {
  const loads = new SharedLoad<string>();
  const shown: string[] = [];
  const g = gate<string | LoadFailed>();
  // The status bar at startup asks quietly; Open Duplicates Gallery joins the same load and must still hear of the failure.
  const quiet = loads.load('/data', 'manifest\0/data', g.run, (t) => shown.push(t));
  const asked = loads.load('/data', 'manifest\0/data', g.run, (t) => shown.push(t));
  g.end(new LoadFailed('Could not open the gallery of /data'));
  const [q, a] = [await quiet, await asked];
  assert.ok(a instanceof LoadFailed, 'the failure, not "nothing there"');
  assert.equal(a.message, 'Could not open the gallery of /data');
  assert.equal(q, a);
  assert.equal(g.runs, 1);
  assert.deepEqual(shown, []);
});
