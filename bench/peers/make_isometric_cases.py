"""Generates the golden isometric cases: small synthetic pictures in pairs where perception's
isometric deduplicate (every dihedral variant of A against every variant of B) and the narrower
"variants of A against the upright hash of B, both ways" disagree, plus pairs where both agree and
pairs that stay apart; then records perception's own `deduplicate` pairs for each configuration.

    PERCEPTION_SRC=... PERCEPTION_META=... /usr/bin/python3 bench/peers/make_isometric_cases.py

Writes test/golden/isometric-cases/images/*.png and expected.json (deterministic: seeded numpy, PNG). Needs
numpy, Pillow, python3-opencv and a checkout of perception 0.9.2 (bench/peers/README.md)."""
import json
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peerlib  # noqa: E402

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'test', 'golden', 'isometric-cases')

perception = peerlib.load_perception()
from perception import hashers as ph, tools as pt  # noqa: E402

# (label, hasher, threshold): the configurations the golden test runs, with their scan options.
CONFIGS = [
    ('phash16_0.2_isometric', ph.PHash(hash_size=16), 0.2),
    ('phash8_0.2_isometric', ph.PHash(hash_size=8), 0.2),
    ('dhash16_0.07_isometric', ph.DHash(hash_size=16), 0.07),
]
WANT_DIFFERING = 6  # per configuration


def picture(rng, w, h):
    """smooth colour picture: a few random low-frequency waves and a gradient per channel"""
    y, x = np.mgrid[0:h, 0:w] / max(w, h)
    out = np.zeros((h, w, 3))
    for c in range(3):
        v = rng.uniform(-1, 1) * x + rng.uniform(-1, 1) * y
        for _ in range(4):
            fx, fy, ph0 = rng.uniform(0, 9), rng.uniform(0, 9), rng.uniform(0, 6.3)
            v = v + rng.uniform(0.3, 1) * np.cos(2 * np.pi * (fx * x + fy * y) + ph0)
        out[..., c] = v
    out = (out - out.min()) / (out.max() - out.min() + 1e-9) * 235 + 10
    return out.astype(np.uint8)


def edit(rng, img):
    """a thin border or a small crop, sometimes with a quarter turn or flip, and a little noise"""
    h, w = img.shape[:2]
    kind = rng.integers(3)
    if kind == 0:
        p = max(1, int(round(rng.uniform(0.02, 0.06) * max(h, w))))
        col = rng.integers(0, 256, 3)
        out = np.empty((h + 2 * p, w + 2 * p, 3), np.uint8)
        out[:] = col
        out[p:p + h, p:p + w] = img
    elif kind == 1:
        dx, dy = int(rng.uniform(0.03, 0.08) * w), int(rng.uniform(0.03, 0.08) * h)
        out = img[dy:h - int(rng.uniform(0, 0.05) * h), dx:w - int(rng.uniform(0, 0.05) * w)]
    else:
        p = max(1, int(round(rng.uniform(0.02, 0.05) * w)))
        out = np.concatenate([np.full((h, p, 3), rng.integers(0, 256), np.uint8), img], axis=1)
    out = np.rot90(out, rng.integers(4))
    if rng.random() < 0.5:
        out = out[:, ::-1]
    noise = rng.normal(0, 3, out.shape)
    return np.ascontiguousarray(np.clip(out.astype(np.float64) + noise, 0, 255).astype(np.uint8))


def distances(hasher, a, b):
    """(all variants against all, variants against the upright hash both ways), in perception's distance"""
    ha = hasher.compute_isometric(a)
    hb = hasher.compute_isometric(b)
    d = lambda x, y: hasher.compute_distance(x, y)  # noqa: E731
    every = min(d(x, y) for x in ha.values() for y in hb.values())
    upright = min(min(d(x, hb['r0']) for x in ha.values()), min(d(y, ha['r0']) for y in hb.values()))
    return every, upright


def main():
    rng = np.random.default_rng(20240912)
    images = os.path.join(HERE, 'images')
    os.makedirs(images, exist_ok=True)
    for f in os.listdir(images):
        os.remove(os.path.join(images, f))
    kept = []  # (name_a, name_b, why)
    found = {label: 0 for label, _, _ in CONFIGS}
    agree = {label: 0 for label, _, _ in CONFIGS}
    tries = 0
    while any(v < WANT_DIFFERING for v in found.values()) and tries < 20000:
        tries += 1
        w, h = int(rng.integers(64, 128)), int(rng.integers(48, 128))
        a = picture(rng, w, h)
        b = edit(rng, a)
        useful = False
        for label, hasher, thr in CONFIGS:
            every, upright = distances(hasher, a, b)
            if every < thr <= upright and found[label] < WANT_DIFFERING:
                found[label] += 1
                useful = True
            elif every < thr and upright < thr and agree[label] < 2:
                agree[label] += 1
                useful = True
        if useful:
            k = len(kept)
            na, nb = 'case%02d_a.png' % k, 'case%02d_b.png' % k
            Image.fromarray(a).save(os.path.join(images, na))
            Image.fromarray(np.ascontiguousarray(b)).save(os.path.join(images, nb))
            kept.append((na, nb))
    files = sorted(os.listdir(images))
    paths = [os.path.join(images, f) for f in files]
    runs = {}
    for label, hasher, thr in CONFIGS:
        pairs = pt.deduplicate(files=paths, hashers=[(hasher, thr)], isometric=True)
        norm = sorted(sorted([os.path.basename(x), os.path.basename(y)]) for x, y in pairs)
        differing = []
        for x, y in norm:
            every, upright = distances(hasher, ph.tools.read(os.path.join(images, x)), ph.tools.read(os.path.join(images, y)))
            if upright >= thr:
                differing.append([x, y])
        runs[label] = {'threshold': thr, 'pairs': norm, 'pairs_only_all_variants_find': differing}
    out = {
        'generator': 'bench/peers/make_isometric_cases.py (seed 20240912), perception %s deduplicate(isometric=True)' % perception.__version__,
        'files': files,
        'runs': runs,
    }
    with open(os.path.join(HERE, 'expected.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(json.dumps({k: (len(v['pairs']), len(v['pairs_only_all_variants_find'])) for k, v in runs.items()}), 'tries', tries)


if __name__ == '__main__':
    main()
