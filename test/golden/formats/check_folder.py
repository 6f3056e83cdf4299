#!/usr/bin/python3
"""Compares Media Dedupe with perception on real files: for every file under the given folders, the
PHash(16) perception computes (cv2.imread, then its hasher) against `media-dedupe hash --json`'s, and
whether both read it. Prints one line per difference and a summary; exit status 1 when any differ.

    npm run build
    PERCEPTION_SRC=/path/to/perception PERCEPTION_META=/path/to/site /usr/bin/python3 test/golden/formats/check_folder.py DIR...
"""
import json
import os
import subprocess
import sys

import cv2

sys.path.insert(0, os.environ['PERCEPTION_SRC'])
if os.environ.get('PERCEPTION_META'):
    sys.path.insert(1, os.environ['PERCEPTION_META'])
from perception import hashers  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def files_under(dirs):
    for d in dirs:
        if os.path.isfile(d):
            yield d
            continue
        for base, _, names in os.walk(d):
            for n in sorted(names):
                yield os.path.join(base, n)


def main():
    files = sorted(set(files_under(sys.argv[1:])))
    phash = hashers.PHash(hash_size=16)
    theirs = {}
    for f in files:
        try:
            theirs[f] = phash.compute(f) if cv2.imread(f) is not None else None
        except Exception as e:  # perception refuses some files cv2 reads (a one-channel PFM)
            theirs[f] = 'error: %s' % str(e).splitlines()[0]
    out = subprocess.run(['node', os.path.join(ROOT, 'dist', 'cli.js'), 'hash', '--json', '--hash-size', '16'] + files,
                         capture_output=True, text=True).stdout
    ours = {}
    for line in out.splitlines():
        r = json.loads(line)
        ours[r['path']] = r.get('hash') or None
    same = differ = 0
    for f in files:
        a, b = theirs[f], ours.get(f)
        if a == b or (a is None and b is None):
            same += 1
        else:
            differ += 1
            print('DIFFERS %s: perception %s, media-dedupe %s' % (f, a, b))
    read = sum(1 for f in files if theirs[f] and not str(theirs[f]).startswith('error'))
    print('%d files: %d agree (%d hashed by perception), %d differ' % (len(files), same, read, differ))
    sys.exit(1 if differ else 0)


if __name__ == '__main__':
    main()
