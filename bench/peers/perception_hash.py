#!/usr/bin/python3
"""perception's hashing alone on every image under DIR: `PHash(hash_size).compute` file by file
(sequential) and/or `compute_parallel` (perception's thread pool), as JSON on stdout:
{tool, config, root, files, pairs: [], timings: {sequential_s, parallel_s}, errors, hashes?}

  PERCEPTION_SRC=... perception_hash.py DIR [--hash-size 16] [--mode sequential|parallel|both]
                                            [--workers 5] [--hashes]

--hashes adds {file: base64 hash} (from the last mode run) to compare with other implementations.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from peerlib import Timer, emit, list_images, load_perception  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('dir')
    ap.add_argument('--hash-size', type=int, default=16)
    ap.add_argument('--mode', choices=['sequential', 'parallel', 'both'], default='both')
    ap.add_argument('--workers', type=int, default=5, help="compute_parallel's max_workers (perception's default: 5)")
    ap.add_argument('--hashes', action='store_true')
    a = ap.parse_args()
    perception = load_perception()
    from perception.hashers import PHash
    hasher = PHash(hash_size=a.hash_size)
    files = list_images(a.dir)
    t = Timer()
    hashes, errors = {}, {}
    if a.mode in ('sequential', 'both'):
        with t('sequential_s'):
            for f in files:
                try:
                    hashes[f] = hasher.compute(f)
                except Exception as e:  # perception raises on unreadable files; record, as compute_parallel does
                    errors[f] = str(e)
    if a.mode in ('parallel', 'both'):
        with t('parallel_s'):
            rows = hasher.compute_parallel(filepaths=files, max_workers=a.workers)
        hashes = {r['filepath']: r['hash'] for r in rows if r['error'] is None}
        errors = {r['filepath']: r['error'] for r in rows if r['error'] is not None}
    rel = lambda p: os.path.relpath(p, a.dir)
    extra = {'errors': {rel(f): e for f, e in sorted(errors.items())}}
    if a.hashes:
        extra['hashes'] = {rel(f): h for f, h in sorted(hashes.items())}
    emit(a.dir, 'perception', {'hasher': 'PHash(hash_size=%d)' % a.hash_size, 'mode': a.mode, 'workers': a.workers,
                               'perception': perception.__version__}, len(files), [], t.t, extra)


if __name__ == '__main__':
    main()
