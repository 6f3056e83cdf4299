#!/usr/bin/python3
"""perception's `tools.deduplicate` on every image under DIR, as JSON on stdout:
{tool, config, root, files, pairs: [{a, b, distance}], timings: {dedup_s | hash_s, search_s, distances_s}}

  PERCEPTION_SRC=... perception_dedup.py DIR [--hash-size 16] [--threshold 0.2] [--isometric]
                                             [--search deduplicate|blockwise] [--workers 5]

--search deduplicate (default) times perception's own `tools.deduplicate(files, hashers=[(PHash(hash_size),
threshold)], isometric=...)`; the distances of the pairs it returns are computed afterwards, untimed
(isometric: the smallest over the 8x8 dihedral hashes, which is what made the pair).
--search blockwise hashes with perception's `compute_parallel` and finds the same pairs in blocks
(perception's rule: normalised Hamming distance < threshold between any hash of one file and any hash
of another), because `deduplicate(isometric=True)` builds one pdist over 8N hashes: 8 bytes x (8N)^2/2,
which no longer fits in memory above about 5,000 files.  `--check` runs both and reports whether the
pair sets are identical.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peerlib import Timer, emit, list_images, load_perception  # noqa: E402


def hash_vectors(hasher, files, isometric, workers):
    """perception's compute_parallel; returns (file per row, bool matrix, errors)"""
    from perception.hashers.tools import string_to_vector
    rows = hasher.compute_parallel(filepaths=files, isometric=isometric, max_workers=workers)
    owner, vecs, errors = [], [], []
    for r in sorted(rows, key=lambda r: r['filepath']):
        if r['error'] is not None:
            errors.append({'file': r['filepath'], 'error': r['error']})
            continue
        hs = list(r['hash'].values()) if isometric else [r['hash']]
        for h in hs:
            owner.append(r['filepath'])
            vecs.append(string_to_vector(h, hash_format='base64', hash_length=hasher.hash_length, dtype=hasher.dtype))
    return np.array(owner), np.array(vecs, dtype=bool), errors


def blockwise_pairs(owner, vecs, hash_length, threshold, block=1024):
    """every (file, file, distance) with distance < threshold between two different files; the Hamming
    distance is |a| + |b| - 2 a.b on 0/1 vectors, exact in float32 for hash lengths < 2**24"""
    v = vecs.astype(np.float32)
    ones = v.sum(axis=1)
    ids = np.unique(owner, return_inverse=True)[1]
    best = {}
    for i0 in range(0, len(v), block):
        blk = v[i0:i0 + block]
        bits = ones[i0:i0 + block, None] + ones[None, i0:] - 2 * (blk @ v[i0:].T)
        d = np.rint(bits).astype(np.float64) / hash_length  # as scipy's hamming: mismatches / length in float64
        ii, jj = np.nonzero(d < threshold)
        for i, j in zip(ii + i0, jj + i0):
            if ids[i] != ids[j]:
                a, b = (owner[i], owner[j]) if owner[i] < owner[j] else (owner[j], owner[i])
                dist = float(d[i - i0, j - i0])
                if (a, b) not in best or dist < best[(a, b)]:
                    best[(a, b)] = dist
    return [(a, b, dist) for (a, b), dist in best.items()]


def pair_distances(hasher, pairs, isometric):
    """distance of each reported pair: hashes of the paired files (upright, or all 8 variants)"""
    from perception.hashers.tools import string_to_vector
    cache = {}

    def vecs(f):
        if f not in cache:
            hs = hasher.compute_isometric(f).values() if isometric else [hasher.compute(f)]
            cache[f] = np.array([string_to_vector(h, hash_format='base64', hash_length=hasher.hash_length,
                                                  dtype=hasher.dtype) for h in hs], dtype=bool)
        return cache[f]
    out = []
    for a, b in pairs:
        va, vb = vecs(a), vecs(b)
        out.append((a, b, float((va[:, None, :] != vb[None, :, :]).sum(axis=2).min()) / hasher.hash_length))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('dir')
    ap.add_argument('--hash-size', type=int, default=16)
    ap.add_argument('--threshold', type=float, default=0.2)
    ap.add_argument('--isometric', action='store_true')
    ap.add_argument('--search', choices=['deduplicate', 'blockwise'], default='deduplicate')
    ap.add_argument('--workers', type=int, default=5, help="compute_parallel's max_workers (perception's default: 5)")
    ap.add_argument('--check', action='store_true', help='run deduplicate and blockwise and compare their pairs')
    a = ap.parse_args()
    perception = load_perception()
    from perception import tools
    from perception.hashers import PHash
    hasher = PHash(hash_size=a.hash_size)
    files = list_images(a.dir)
    t = Timer()
    config = {'hasher': 'PHash(hash_size=%d)' % a.hash_size, 'threshold': a.threshold, 'isometric': a.isometric,
              'search': a.search, 'perception': perception.__version__}
    extra = {}
    if a.search == 'deduplicate' or a.check:
        with t('dedup_s'):
            raw = tools.deduplicate(files=files, hashers=[(hasher, a.threshold)], isometric=a.isometric)
        with t('distances_s'):
            pairs = pair_distances(hasher, sorted({tuple(sorted(p)) for p in raw}), a.isometric)
    if a.search == 'blockwise' or a.check:
        with t('hash_s'):
            owner, vecs, errors = hash_vectors(hasher, files, a.isometric, a.workers)
        with t('search_s'):
            bw = blockwise_pairs(owner, vecs, hasher.hash_length, a.threshold)
        extra['errors'] = errors
        if a.check:
            s1, s2 = {(x, y) for x, y, _ in pairs}, {(x, y) for x, y, _ in bw}
            extra['check'] = {'deduplicate_pairs': len(s1), 'blockwise_pairs': len(s2), 'identical': s1 == s2,
                              'only_deduplicate': sorted(s1 - s2)[:20], 'only_blockwise': sorted(s2 - s1)[:20]}
        else:
            pairs = bw
    emit(a.dir, 'perception', config, len(files), pairs, t.t, extra)


if __name__ == '__main__':
    main()
