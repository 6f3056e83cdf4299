import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseName, distinctNames, folderOf, formatBytes, formatDistance, formatResolution, middleEllipsis, paneCaption } from './format.js';

describe('formatting', () => {
  it('formats sizes, distances, resolutions and paths', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(85_676), '84 KB');
    assert.equal(formatBytes(1_500_000), '1.4 MB');
    assert.equal(formatDistance(0.0234375), '0.023');
    assert.equal(formatDistance(12.5), '12.50');
    assert.equal(formatResolution(640, 480), '640×480');
    assert.equal(formatResolution(0, 0), 'unknown size');
    assert.equal(folderOf('a/b/c.jpg'), 'a/b');
    assert.equal(folderOf('c.jpg'), '.');
    assert.equal(baseName('a/b/c.jpg'), 'c.jpg');
  });
});

describe('video pairs in the gallery (pure)', () => {
  it('formats timestamps and tells GIFs (played as images) from videos', async () => {
    const { formatTime, playsAsImage } = await import('./format.js');
    assert.equal(formatTime(0), '0:00.0');
    assert.equal(formatTime(1.26), '0:01.3');
    assert.equal(formatTime(83.04), '1:23.0');
    assert.equal(formatTime(3723.5), '1:02:03.5');
    assert.equal(formatTime(-1.2), '-0:01.2');
    assert.equal(playsAsImage('a/clip.GIF'), true);
    assert.equal(playsAsImage('a/clip.mp4'), false);
  });
});

describe('paths shortened in the middle', () => {
  it('keeps the first folder and the file name', async () => {
    const { middleEllipsis } = await import('./format.js');
    assert.equal(middleEllipsis('train/cats/001.jpg', 40), 'train/cats/001.jpg');
    const s = middleEllipsis('train/very/deep/folder/of/many/levels/cats/0001.jpg', 30);
    assert.equal(s.length, 30);
    assert.ok(s.startsWith('train/…'), s);
    assert.ok(s.endsWith('cats/0001.jpg'), s);
  });

  it('in a narrow row, a first folder too long for the room gives way to the end of the path', async () => {
    const { middleEllipsis } = await import('./format.js');
    const s = middleEllipsis('synthetic/group041/08216_o000002__exact_copy.jpg', 18);
    assert.equal(s, '…2__exact_copy.jpg');
    assert.equal(s.length, 18);
    assert.ok(s.endsWith('__exact_copy.jpg'), s);
  });
});

/** A pair's two names as the list shows them, and whether they are not what middleEllipsis makes of them. */
function pairNames(a: string, b: string, max: number): { left: string; right: string; apart: boolean } {
  const [left, right] = distinctNames([a, b], max) as [string, string];
  return { left, right, apart: left !== middleEllipsis(a, max) };
}

describe("a pair's two names in a narrow row", () => {
  const a = 'synthetic/group041/08216_o000002__exact_copy.jpg';
  const b = 'synthetic/group041/08217_o000002__exact_copy.jpg';

  it('keep the part where they differ where the middle ellipsis would cut both to the same tail', () => {
    assert.equal(middleEllipsis(a, 18), middleEllipsis(b, 18), 'the case: both read "…2__exact_copy.jpg"');
    for (const max of [10, 12, 18, 24, 30, 40]) {
      const { left: x, right: y, apart } = pairNames(a, b, max);
      assert.equal(apart, middleEllipsis(a, max) === middleEllipsis(b, max), `${max}: shortened apart only where they would read the same`);
      assert.notEqual(x, y, `${max}: ${x} | ${y}`);
      assert.ok(x.length <= max && y.length <= max, `${max}: ${x} | ${y}`);
      assert.ok(x.includes('6') && y.includes('7'), `${max}: the differing digit stays: ${x} | ${y}`);
    }
    assert.deepEqual(pairNames(a, b, 18), { left: '…08216_o000002_…', right: '…08217_o000002_…', apart: true });
  });

  it('keep the end of the name when the difference is near it, and leave names that differ already as middleEllipsis cuts them', () => {
    assert.deepEqual(pairNames('train/a/b/c/x1/0001.jpg', 'train/a/b/c/x2/0001.jpg', 16), { left: '…b/c/x1/0001.jpg', right: '…b/c/x2/0001.jpg', apart: true });
    assert.deepEqual(pairNames('a/very/long/folder/name/abc.jpg', 'a/very/long/folder/name/abc.png', 16), {
      left: middleEllipsis('a/very/long/folder/name/abc.jpg', 16),
      right: middleEllipsis('a/very/long/folder/name/abc.png', 16),
      apart: false,
    });
    assert.deepEqual(pairNames('short.jpg', 'short2.jpg', 16), { left: 'short.jpg', right: 'short2.jpg', apart: false });
  });
});

describe('the names of a whole pair list', () => {
  // Four files sharing a long start: each row's two differ at 08216/08217, the rows at v1/v2, further on
  // than a narrow name holds from 08216.
  const start = 'synthetic/a_long_shared_folder_name/group041/';
  const mid = '_holiday_at_the_lake_v';
  const rows = [
    [`${start}08216${mid}1_exact_copy.jpg`, `${start}08217${mid}1_exact_copy.jpg`],
    [`${start}08216${mid}2_exact_copy.jpg`, `${start}08217${mid}2_exact_copy.jpg`],
  ] as const;
  const paths = rows.flat();

  it('give different files different names across rows, each row still telling its two apart', () => {
    for (const max of [14, 18, 20, 24, 30, 40]) {
      // The case: cut row by row, the first files of the two rows read the same.
      const byRow = rows.map(([a, b]) => distinctNames([a, b], max));
      if (max <= 24) assert.equal(byRow[0]![0], byRow[1]![0], `${max}: ${byRow.flat().join(' | ')}`);
      const names = distinctNames(paths, max, [
        [0, 1],
        [2, 3],
      ]);
      assert.equal(new Set(names).size, 4, `${max}: ${names.join(' | ')}`);
      names.forEach((n, i) => {
        assert.ok(n.length <= max, `${max}: ${n}`);
        // Each name shows the digit its row partner differs by, and the one the other row differs by.
        assert.ok(n.includes(i % 2 === 0 ? '6_' : '7_'), `${max}: ${n}`);
        assert.ok(n.includes(i < 2 ? 'v1' : 'v2'), `${max}: ${n}`);
      });
    }
    assert.deepEqual(distinctNames(paths, 18), ['…08216_…v1_exa…', '…08217_…v1_exa…', '…08216_…v2_exa…', '…08217_…v2_exa…']);
    assert.deepEqual(distinctNames(paths, 30), [
      '…216_holiday_at_the_lake_v1…',
      '…217_holiday_at_the_lake_v1…',
      '…216_holiday_at_the_lake_v2…',
      '…217_holiday_at_the_lake_v2…',
    ]);
  });

  it("show where a row's two differ, also when their names already differ from every other name", () => {
    // Row 0 pairs a file with one sharing nothing at its start: its two names must show the start, not
    // only an ellipsis in front of the same words ("0001_holiday…" beside "…0001_holiday…").
    const tail = `${'holiday_at_the_lake_'.repeat(3)}exact_copy.jpg`;
    const lake = 'summer_trip_to_the_lake_at_dawn_';
    const files = [`0001_${tail}`, `${lake}0001_${tail}`, `${lake}0002_${tail}`];
    for (const max of [24, 32, 40]) {
      const names = distinctNames(files, max, [
        [0, 1],
        [1, 2],
        [0, 2],
      ]);
      assert.equal(new Set(names).size, 3, `${max}: ${names.join(' | ')}`);
      assert.ok(names[0]!.startsWith('0001_') && names[1]!.startsWith('summer') && names[2]!.startsWith('summer'), `${max}: ${names.join(' | ')}`);
      assert.ok(names[1]!.includes('0001') && names[2]!.includes('0002'), `${max}: ${names.join(' | ')}`);
      for (const n of names) assert.ok(n.length <= max, `${max}: ${n}`);
    }
  });

  it('leave names that read apart as middleEllipsis cuts them, and a list of one pair as the pair alone', () => {
    const other = ['train/cats/0001.jpg', 'train/dogs/0001.jpg'];
    assert.deepEqual(distinctNames([...rows[0], ...other], 20).slice(2), other);
    // A list of one pair is named as the list names its files (with its pairs), which must be the row's own two names.
    const { left, right } = pairNames(rows[0][0], rows[0][1], 24);
    assert.deepEqual(distinctNames([...rows[0]], 24, [[0, 1]]), [left, right]);
  });
});

describe("a compare pane's caption", () => {
  it('starts where two paths sharing a long end differ, to be cut at its end; else is the whole path, cut at its start', () => {
    const a = 'synthetic/group041/08216_o000002__exact_copy.jpg';
    const b = 'synthetic/group041/08217_o000002__exact_copy.jpg';
    assert.deepEqual(paneCaption(a, b), { text: '…/08216_o000002__exact_copy.jpg', cutEnd: true });
    assert.deepEqual(paneCaption(b, a), { text: '…/08217_o000002__exact_copy.jpg', cutEnd: true });
    assert.deepEqual(paneCaption('0001_holiday_at_the_lake.jpg', '0002_holiday_at_the_lake.jpg'), { text: '0001_holiday_at_the_lake.jpg', cutEnd: true });
    assert.deepEqual(paneCaption('originals/o00001.jpg', 'variants/o00001__exact_copy.jpg'), { text: 'originals/o00001.jpg', cutEnd: false });
    assert.deepEqual(paneCaption('a/x.jpg', 'a/x.jpg'), { text: 'a/x.jpg', cutEnd: false });
    // Names sharing a long start as well: the caption starts just before their difference, after a separator
    // (from the folder, the shared start filled the box and the box cut the difference off).
    const tail = '_holiday_at_the_lake_exact_copy.jpg';
    const start = 'lookalike/summer_trip_to_the_lake_at_dawn_';
    assert.deepEqual(paneCaption(`${start}0001${tail}`, `${start}0002${tail}`), { text: `…0001${tail}`, cutEnd: true });
    assert.deepEqual(paneCaption(`${start}x0001${tail}`, `${start}x0002${tail}`), { text: `…x0001${tail}`, cutEnd: true });
    // No separator near the difference: four characters before it.
    const run = 'lookalike/abcdefghijklmnopqrstuvwxyz';
    assert.deepEqual(paneCaption(`${run}1${tail}`, `${run}2${tail}`), { text: `…wxyz1${tail}`, cutEnd: true });
    for (const [a, b] of [
      [`${start}0001${tail}`, `${start}0002${tail}`],
      [`${run}1${tail}`, `${run}2${tail}`],
      ['synthetic/group041/08216_o000002__exact_copy.jpg', 'synthetic/group041/08217_o000002__exact_copy.jpg'],
    ] as const) {
      let p = 0;
      while (a[p] === b[p]) p++;
      const { text } = paneCaption(a, b);
      // The difference lies within the first 14 characters of the caption, which any pane shows.
      assert.ok(text.length - (a.length - p) <= 14, `${text}: the difference of ${a} is ${text.length - (a.length - p)} characters in`);
    }
  });
});

describe("a cluster's card names", () => {
  it('keep apart the paths the middle cut would show alike, and leave the others as middleEllipsis cuts them', () => {
    const copies = ['g/016_o3__exact_copy_of_the_picture.jpg', 'g/116_o3__exact_copy_of_the_picture.jpg', 'g/216_o3__exact_copy_of_the_picture.jpg'];
    const other = 'originals/o3.jpg';
    const paths = [other, ...copies, copies[0]!];
    assert.equal(new Set(copies.map((p) => middleEllipsis(p, 20))).size, 1, 'the case: the middle cut shows the three alike');
    const names = distinctNames(paths, 20);
    assert.equal(names[0], middleEllipsis(other, 20));
    assert.equal(new Set(names.slice(1, 4)).size, 3, names.join(' | '));
    assert.equal(names[4], names[1], 'the same path, the same name');
    for (const n of names) assert.ok(n.length <= 20, n);
    assert.deepEqual(distinctNames([], 20), []);
  });
});
