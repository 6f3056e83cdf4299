#!/usr/bin/python3
"""imagededup's PHash (64 bits) on DIR: `encode_images(DIR, recursive=True)` then
`find_duplicates(encoding_map=..., max_distance_threshold=N, scores=True)`, as JSON on stdout:
{tool, config, root, files, pairs: [{a, b, distance (differing bits of 64)}], timings: {encode_s, search_s}}

  IMAGEDEDUP_SRC=... imagededup_phash.py DIR [--threshold 10] [--workers N] [--search brute_force_cython]

imagededup pairs files whose Hamming distance is <= threshold (its default: 10).  To compare it with
another tool at equal precision, run it once with a generous threshold (e.g. 16) and let the scorer pick
the threshold that reaches the other tool's precision from the distances:
`npx tsx bench/scorePairs.ts --gt ... --match-precision P imagededup.json` (bench/peers/README.md).
"""
import argparse
import os
import sys
from multiprocessing import cpu_count

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peerlib import Timer, emit, list_images, load_imagededup_hashing  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('dir')
    ap.add_argument('--threshold', type=int, default=10)
    ap.add_argument('--workers', type=int, default=cpu_count(), help="encode and search workers (imagededup's default: all CPUs)")
    ap.add_argument('--search', default='brute_force_cython', choices=['brute_force_cython', 'brute_force', 'bktree'])
    a = ap.parse_args()
    hashing = load_imagededup_hashing()
    import imagededup
    ph = hashing.PHash(verbose=False)
    root = os.path.abspath(a.dir)
    t = Timer()
    with t('encode_s'):
        enc = ph.encode_images(image_dir=root, recursive=True, num_enc_workers=a.workers)
    with t('search_s'):
        dups = ph.find_duplicates(encoding_map=enc, max_distance_threshold=a.threshold, scores=True,
                                  search_method=a.search, num_dist_workers=a.workers)
    pairs = [(os.path.join(root, f), os.path.join(root, g), int(d)) for f, lst in dups.items() for g, d in lst]
    images = list_images(root)
    not_hashed = sorted(os.path.relpath(f, root) for f in images if os.path.relpath(f, root) not in enc)
    emit(root, 'imagededup', {'hasher': 'PHash (64 bits)', 'max_distance_threshold': a.threshold, 'search': a.search,
                              'workers': a.workers, 'imagededup': imagededup.__version__},
         len(images), pairs, t.t, {'distance_unit': 'bits of 64', 'not_hashed': not_hashed})


if __name__ == '__main__':
    main()
