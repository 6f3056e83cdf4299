#!/usr/bin/env python3
"""Finds the "originals" of a make_bench.py benchmark that are the same picture, without any perceptual hash.

make_bench.py keeps an original only if its reference pHash is more than --dedupe-bits from every other
original's, so two sources that ship the same picture (one flag with and without a white margin, one icon
at two sizes) stay in as two originals when the margin or the resampling moves the hash far enough, and
every pair between their clusters is then counted false although a person calls them the same picture.

Rule (pixels only; documented in bench/data/README.md):
  1. unit = an original with its variants (its cluster) or a natural-duplicate group, represented by its
     original / first member, decoded to RGB (Pillow); hard negatives are never re-labelled (a person
     listed them as different pictures);
  2. trim uniform borders (trim): one border colour, the outer frame's median, when FRAME_SHARE of the
     frame has it; top and bottom (then left and right) only when both start with it; a line goes while
     99.5 % of its pixels are within BORDER_TOL levels of it; a box left in one colour means no border;
  3. two units are the same picture when their trimmed boxes have the same aspect ratio (within ASPECT_TOL),
     and, with both boxes resized (box filter) to the smaller box's size (at most FINE_SIDE px on its long
     side), the mean absolute difference is at most MEAN_TOL levels, at most TAIL_SHARE of the values differ
     by more than TAIL_TOL levels, and no block of a BLOCKS x BLOCKS grid moved by more than BLOCK_TOL
     levels in a channel (a recoloured part, a changed detail make a different picture). A coarse
     24 x 24 thumbnail distance only picks the pairs to check (never sufficient);
  4. same-picture groups are the connected components of that relation.

  same_pictures.py BENCH_DIR [--out FILE] [--pairs MANIFEST]   -> BENCH_DIR/same_pictures.json
  (--pairs: a scan's manifest; also prints its false pairs by cause)
"""
import argparse
import json
import os
import sys

import numpy as np
from PIL import Image

BORDER_TOL = 10
ASPECT_TOL = 0.03
FINE_SIDE = 256
MEAN_TOL = 4.0
TAIL_TOL = 48
TAIL_SHARE = 0.01
FRAME_SHARE = 0.6
BLOCKS = 16
BLOCK_TOL = 10.0
THUMB = 24
THUMB_RMS = 20.0

RULE = ('same picture = after trimming uniform borders (the outer frame\'s median colour, when >= %d %% of the frame has it; '
        'lines with >= 99.5 %% of pixels within %d levels of it), the same aspect ratio within %d %%, and resized to the '
        'smaller box (<= %d px): mean absolute difference <= %.1f levels, <= %.1f %% of values more than %d levels apart, '
        'and no block of a %d x %d grid shifted by more than %.1f levels in any channel; groups = connected components'
        % (FRAME_SHARE * 100, BORDER_TOL, ASPECT_TOL * 100, FINE_SIDE, MEAN_TOL, TAIL_SHARE * 100, TAIL_TOL, BLOCKS, BLOCKS, BLOCK_TOL))


def units(gt):
    """unit id -> (representative file, [files]); file -> unit id."""
    members, rep = {}, {}
    for f, r in sorted(gt['files'].items()):
        if r['role'] in ('original', 'variant'):
            u = 'cluster:' + r['cluster']
        elif r['role'] == 'natural_dup':
            u = 'natural:' + r['group']
        else:
            continue  # hard negatives: pairs a person listed as different pictures (recolourings, frames); never re-labelled
        members.setdefault(u, []).append(f)
        if r['role'] in ('original', 'natural_dup') and u not in rep:
            rep[u] = f
    return rep, members


def trim(a):
    """The box left after dropping uniform border lines (a is H x W x 3 int16); the whole image when there is none.

    The border colour is one colour for the whole picture: the median of its outer frame, and only when
    at least FRAME_SHARE of the frame has it (a tricolour's bands are not a border). A box that is itself
    one colour (the white band of a red-white-red flag) means the picture was all border: no trim.
    """
    frame = np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
    bg = np.median(frame, axis=0)
    if (np.abs(frame - bg).max(axis=1) <= BORDER_TOL).mean() < FRAME_SHARE:
        return 0, a.shape[0], 0, a.shape[1]

    def uniform(line):
        d = np.abs(line - bg).max(axis=1)
        return (d <= BORDER_TOL).mean() >= 0.995 and d.max() <= 4 * BORDER_TOL

    # a side is trimmed only when the opposite side also starts with the border colour (a frame or a
    # letterbox / pillarbox), so a flag whose field touches two sides keeps its field
    t, b, l, r = 0, a.shape[0], 0, a.shape[1]
    if uniform(a[0]) and uniform(a[-1]):
        while b - t > 2 and uniform(a[t]):
            t += 1
        while b - t > 2 and uniform(a[b - 1]):
            b -= 1
    if uniform(a[t:b, 0]) and uniform(a[t:b, -1]):
        while r - l > 2 and uniform(a[t:b, l]):
            l += 1
        while r - l > 2 and uniform(a[t:b, r - 1]):
            r -= 1
    if a[t:b, l:r].reshape(-1, 3).std(axis=0).max() < 3:
        return 0, a.shape[0], 0, a.shape[1]
    return t, b, l, r


def load(path):
    im = Image.open(path).convert('RGB')
    a = np.asarray(im, dtype=np.int16)
    t, b, l, r = trim(a)
    box = im.crop((l, t, r, b))
    thumb = np.asarray(box.resize((THUMB, THUMB), Image.BOX), dtype=np.float32).ravel()
    return {'box': box, 'aspect': box.width / box.height, 'thumb': thumb, 'trim': (t, a.shape[0] - b, l, a.shape[1] - r)}


def fine(x, y):
    """(mean abs diff, share of values > TAIL_TOL, largest colour shift of a block) of two trimmed boxes at the smaller one's size.

    The block shift (per channel, the difference of the means of one of BLOCKS x BLOCKS blocks) is what a
    recolouring of one part (an accent colour, a skin tone) moves, while resampling and re-encoding
    leave block means where they were.
    """
    small = x['box'] if x['box'].width * x['box'].height <= y['box'].width * y['box'].height else y['box']
    w, h = small.size
    s = min(1.0, FINE_SIDE / max(w, h))
    size = (max(1, round(w * s)), max(1, round(h * s)))
    p = np.asarray(x['box'].resize(size, Image.BOX), dtype=np.int16)
    q = np.asarray(y['box'].resize(size, Image.BOX), dtype=np.int16)
    d = np.abs(p - q)
    bp = np.asarray(x['box'].resize((BLOCKS, BLOCKS), Image.BOX), dtype=np.float32)
    bq = np.asarray(y['box'].resize((BLOCKS, BLOCKS), Image.BOX), dtype=np.float32)
    return float(d.mean()), float((d > TAIL_TOL).mean()), float(np.abs(bp - bq).max())


def find(bench):
    gt = json.load(open(os.path.join(bench, 'ground_truth.json')))
    rep, members = units(gt)
    ids = sorted(rep)
    info = [load(os.path.join(bench, rep[u])) for u in ids]
    thumbs = np.stack([i['thumb'] for i in info])
    aspect = np.array([i['aspect'] for i in info])
    sq = (thumbs * thumbs).sum(axis=1)
    n = len(ids)
    checked, same = 0, []
    for i in range(n - 1):
        d2 = sq[i] + sq[i + 1:] - 2 * thumbs[i + 1:] @ thumbs[i]
        rms = np.sqrt(np.maximum(d2, 0) / thumbs.shape[1])
        ok = (rms <= THUMB_RMS) & (np.abs(np.log(aspect[i + 1:] / aspect[i])) <= ASPECT_TOL)
        for j in np.nonzero(ok)[0] + i + 1:
            checked += 1
            mean, tail, block = fine(info[i], info[j])
            if os.environ.get('SAME_PICTURES_DEBUG') and mean <= 2 * MEAN_TOL:
                print('candidate', rep[ids[i]], rep[ids[j]], round(mean, 2), round(tail, 4), round(block, 1), file=sys.stderr)
            if mean <= MEAN_TOL and tail <= TAIL_SHARE and block <= BLOCK_TOL:
                same.append((ids[i], ids[j], round(mean, 2), round(tail, 4), round(block, 1)))
    parent = {u: u for u in ids}

    def root(u):
        while parent[u] != u:
            parent[u] = parent[parent[u]]
            u = parent[u]
        return u

    for a, b, *_ in same:
        parent[root(a)] = root(b)
    comps = {}
    for u in ids:
        comps.setdefault(root(u), []).append(u)
    groups = sorted(sorted(c) for c in comps.values() if len(c) > 1)
    return {
        'rule': RULE,
        'checked_pairs': checked,
        'matches': [{'a': rep[a], 'b': rep[b], 'mean_abs_diff': m, 'share_far': t, 'block_shift': k, 'trim_a': info[ids.index(a)]['trim'], 'trim_b': info[ids.index(b)]['trim']}
                    for a, b, m, t, k in same],
        'groups': [{'units': g, 'files': sorted(f for u in g for f in members[u])} for g in groups],
    }


def audit(bench, result, pairs_file):
    """A scan's false pairs by cause (printed as a table, for the README's audit).

    Causes: inside one same-picture group (re-labelled true); a listed hard negative (by subtype); two
    different pictures that are near-identical in pixels (same trimmed aspect, mean difference at most
    2 x MEAN_TOL: one dialog with another button pressed, one manual's page layout, a flag redrawn);
    any other look-alike (the rest), each per source family (families.json) of the pair's first file.
    """
    gt = json.load(open(os.path.join(bench, 'ground_truth.json')))
    fams = json.load(open(os.path.join(bench, 'families.json')))['files'] if os.path.exists(os.path.join(bench, 'families.json')) else {}
    m = json.load(open(pairs_file))
    base = os.path.dirname(os.path.abspath(pairs_file))
    rel = lambda p: os.path.relpath(os.path.normpath(os.path.join(base, p)), os.path.abspath(bench))
    pos = {tuple(sorted((p['a'], p['b']))) for p in gt['duplicate_pairs']}
    hard = {tuple(sorted((p['a'], p['b']))): p.get('subtype', 'hard negative') for p in gt['hard_negative_pairs']}
    rep, members = units(gt)
    unit_of = {f: u for u, fs in members.items() for f in fs}
    group_of = {f: i for i, g in enumerate(result['groups']) for f in g['files']}
    loaded, near = {}, {}

    def near_identical(ua, ub):
        k = (ua, ub) if ua < ub else (ub, ua)
        if k not in near:
            for u in k:
                if u not in loaded:
                    loaded[u] = load(os.path.join(bench, rep[u]))
            x, y = loaded[k[0]], loaded[k[1]]
            near[k] = abs(np.log(x['aspect'] / y['aspect'])) <= ASPECT_TOL and fine(x, y)[0] <= 2 * MEAN_TOL
        return near[k]

    causes, total = {}, 0
    for p in m['pairs']:
        a, b = sorted((rel(p['a']), rel(p['b'])))
        if (a, b) in pos:
            continue
        total += 1
        if a in group_of and group_of.get(a) == group_of.get(b):
            cause = 'same picture (re-labelled true)'
        elif (a, b) in hard:
            cause = 'listed hard negative: ' + hard[(a, b)]
        elif a in unit_of and b in unit_of and near_identical(unit_of[a], unit_of[b]):
            cause = 'different pictures, near-identical pixels'
        else:
            cause = 'different pictures, look-alike'
        row = causes.setdefault(cause, {})
        row[fams.get(a, '?')] = row.get(fams.get(a, '?'), 0) + 1
    print('%s: %d pairs, %d false' % (pairs_file, len(m['pairs']), total))
    for cause, row in sorted(causes.items(), key=lambda kv: -sum(kv[1].values())):
        print('  %-45s %5d   %s' % (cause, sum(row.values()), ', '.join('%s %d' % kv for kv in sorted(row.items(), key=lambda kv: -kv[1]))))
    return causes


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('bench')
    ap.add_argument('--out', help='where to write (default BENCH_DIR/same_pictures.json)')
    ap.add_argument('--pairs', help="a scan's manifest: print how many of its false pairs the groups explain")
    a = ap.parse_args()
    result = find(a.bench)
    json.dump(result, open(a.out or os.path.join(a.bench, 'same_pictures.json'), 'w'), indent=1)
    print('%d pairs of units checked, %d same, %d groups (%d units)' % (
        result['checked_pairs'], len(result['matches']), len(result['groups']), sum(len(g['units']) for g in result['groups'])), file=sys.stderr)
    if a.pairs:
        audit(a.bench, result, a.pairs)


if __name__ == '__main__':
    main()
