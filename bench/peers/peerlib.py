"""Shared plumbing of the peer wrappers: where the peers' sources are, which files a folder holds,
and the JSON every wrapper prints.  The peers themselves are never copied into this repository: they
are imported from a checkout named by PERCEPTION_SRC / IMAGEDEDUP_SRC (see README.md)."""
import json
import os
import sys
import time
import types

# What perception's cv2.imread and imagededup's PIL read, and what the benchmark folders hold.
IMAGE_EXT = ('.jpg', '.jpeg', '.png', '.webp', '.gif', '.bmp', '.tif', '.tiff', '.pgm', '.ppm', '.pbm', '.pnm')
SKIP_EXIT = 0  # a missing peer is not an error of the caller: the wrapper says so and stops


def skip(msg):
    print(json.dumps({'skipped': msg}))
    print('skipped: ' + msg, file=sys.stderr)
    sys.exit(SKIP_EXIT)


def source_dir(var, probe):
    """the checkout named by env var `var`, put first on sys.path; skip when absent"""
    d = os.environ.get(var)
    if not d:
        skip('%s is not set (path of a checkout of the peer; see bench/peers/README.md)' % var)
    if not os.path.exists(os.path.join(d, probe)):
        skip('%s=%s has no %s' % (var, d, probe))
    sys.path.insert(0, os.path.abspath(d))
    return os.path.abspath(d)


def load_perception():
    """perception's package (its version comes from installed metadata, which a plain checkout lacks:
    PERCEPTION_META may name a folder holding perception-<version>.dist-info, see README.md)"""
    source_dir('PERCEPTION_SRC', 'perception/tools.py')
    meta = os.environ.get('PERCEPTION_META')
    if meta:
        sys.path.insert(1, meta)
    try:
        import perception.tools
        import perception.hashers
    except ImportError as e:
        skip('perception does not import (%s); install its Debian dependencies (README.md)' % e)
    return perception


def load_imagededup_hashing():
    """imagededup.methods.hashing without the package __init__ files, which import the CNN (torch,
    torchvision) and the plotter (matplotlib): hashing needs neither.  The two sub-packages are
    registered as bare namespace modules pointing at the checkout, so only hashing's own imports run."""
    src = source_dir('IMAGEDEDUP_SRC', 'imagededup/methods/hashing.py')
    import importlib
    if 'imagededup' not in sys.modules:
        importlib.import_module('imagededup')
    for sub in ('imagededup.methods', 'imagededup.utils'):
        if sub not in sys.modules:
            m = types.ModuleType(sub)
            m.__path__ = [os.path.join(src, *sub.split('.'))]
            sys.modules[sub] = m
    try:
        import imagededup.methods.hashing as hashing
    except ImportError as e:
        skip('imagededup hashing does not import (%s): build brute_force_cython_ext and install the '
             'Debian dependencies (README.md)' % e)
    return hashing


def list_images(root):
    out = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith('.'))
        out += [os.path.join(d, f) for f in sorted(files) if f.lower().endswith(IMAGE_EXT)]
    return out


class Timer:
    def __init__(self):
        self.t = {}

    def __call__(self, name):
        timer = self

        class _T:
            def __enter__(self):
                self.t0 = time.perf_counter()

            def __exit__(self, *exc):
                timer.t[name] = round(time.perf_counter() - self.t0, 3)
        return _T()


def emit(root, tool, config, files, pairs, timings, extra=None):
    """pairs: iterable of (path_a, path_b, distance); paths are made relative to root and sorted"""
    best = {}
    for a, b, d in pairs:
        k = tuple(sorted((os.path.relpath(a, root), os.path.relpath(b, root))))
        if k[0] != k[1] and (k not in best or (d is not None and (best[k] is None or d < best[k]))):
            best[k] = d
    out = {'tool': tool, 'config': config, 'root': os.path.abspath(root), 'files': files,
           'pairs': [{'a': a, 'b': b, 'distance': best[(a, b)]} for a, b in sorted(best)], 'timings': timings}
    out.update(extra or {})
    json.dump(out, sys.stdout, indent=None)
    sys.stdout.write('\n')
