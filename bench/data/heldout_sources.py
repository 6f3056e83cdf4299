#!/usr/bin/python3
"""Source folders for the held-out benchmark: many source FAMILIES, none of the files the public
benchmark derives from.

  heldout_sources.py --work CACHE --public-gt shared/bench/images/ground_truth.json [--out DIR] [--seed 12]
                     [--cap 560]
  heldout_sources.py --label BENCH_DIR [--out DIR]     # after make_bench.py: write BENCH_DIR/families.json

Reads what `collect_sources.py --work CACHE` left in CACHE (CACHE/sources/ with its manifest.json and
the unpacked packages in CACHE/x/), fetches the extra Debian packages below the same way (apt-get
download into CACHE/debs, dpkg -x into CACHE/x/<package>, nothing installed) and writes OUT (default
CACHE/sources-heldout):

  orig/<family>/<package>__<name>   candidate originals, one folder per source family (at most --cap
                                    per family, a seeded sample), every file the public benchmark
                                    derives from left out
  hardneg/<group>/ + groups.json    similar-but-different images (every pair a negative)
  natural_dups/<group>/             upstream near-duplicates (every pair a positive)
  families.json                     group -> family for hardneg/ and natural_dups/
  manifest.json                     file -> package, version, path in the package, licence (the
                                    entries of collect_sources.py's manifest for files taken from it)

The family of an original is the folder under orig/ that its `source` (in make_bench.py's
ground_truth.json) names: `orig/<family>/...`; a variant has its original's family; a hard-negative or
natural-duplicate image has its group's family (families.json of OUT).  `--label BENCH_DIR` applies
that rule to every file of a benchmark built from OUT and writes BENCH_DIR/families.json
({"rule": ..., "files": {file: family}, "counts": {family: {role: n}}}).  Emoji are rendered from Noto Color Emoji with Pillow
(the font is a bitmap-in-TrueType file, not a folder of images), document pages from the PDF manuals of
texlive-latex-base-doc with pdftoppm (poppler-utils).  Not for publishing: some sources
are local-use-only (see LICENCES).
"""
import argparse, glob, hashlib, json, os, random, re, shutil, subprocess, sys

EXTRA_DEBS = {
    'kgeography-data': 'GPL-2+ (KGeography maps and flags; flags from Wikimedia Commons, mostly public domain)',
    'xplanet-images': 'GPL-2+ (xplanet images; NASA textures)',
    'yaru-theme-icon': 'CC-BY-SA-4.0 (Yaru icons, Ubuntu community)',
    'oxygen-icon-theme': 'LGPL-3+ (Oxygen icons, KDE)',
    'desktop-base': 'GPL-2+ / CC-BY-SA (Debian desktop themes, per theme in debian/copyright)',
    'gimp-help-en': 'GFDL-1.2+ (GIMP manual screenshots)',
    'fonts-noto-color-emoji': 'OFL-1.1 (font); Apache-2.0 (emoji images)',
    'kstars-data': 'GPL-2+ / GFDL (KStars data and handbook screenshots)',
    'gnome-user-docs': 'CC-BY-SA-3.0 (GNOME help figures)',
    'marble-data': 'LGPL-2.1+ / GFDL (Marble handbook screenshots)',
    'texlive-latex-base-doc': 'LPPL-1.3c and others (LaTeX package manuals, per file in debian/copyright)',
}
LICENCES = dict(EXTRA_DEBS, **{'gcompris-qt-data': 'per-file CC-BY-SA-2.0/3.0/4.0, CC-BY-2.0/3.0, CC0, public domain, '
                                                   'GPL-3+ (see debian/copyright of gcompris-qt-data)'})
PUBLIC_HARDNEG_PREFIXES = ('gnome_', 'mate_', 'emoji_tones_', 'gcompris_painting_')  # groups in the public set
PHOTO_PKGS = {'gcompris-qt-data', 'opencv-doc', 'python3-skimage', 'libjxl-testdata', 'labelme-examples',
              'forensics-samples-files'}
WALLPAPER_PKGS = {'lomiri-wallpapers-16.04', 'lomiri-wallpapers-20.04', 'mate-backgrounds', 'ukui-wallpapers',
                  'plasma-workspace-wallpapers'}
# national flags that share a layout and differ in colour only (hard negatives, like recoloured icons)
FLAG_LAYOUTS = {
    'vertical_tricolour': ['france', 'italy', 'ireland', 'belgium', 'romania', 'mali'],
    'horizontal_tricolour': ['germany', 'netherlands', 'russia', 'hungary', 'bulgaria', 'lithuania'],
    'horizontal_tricolour_2': ['estonia', 'luxembourg', 'sierra_leone', 'gabon', 'armenia', 'austria'],
    'nordic_cross': ['denmark', 'sweden', 'norway', 'finland', 'iceland'],
    'vertical_tricolour_2': ['chad', 'guinea', 'nigeria', 'cote_divoire', 'peru'],
}
YARU_ACCENTS = ['Yaru', 'Yaru-blue', 'Yaru-red', 'Yaru-sage', 'Yaru-purple', 'Yaru-bark']
EMOJI_TONES = ['\U0001F3FB', '\U0001F3FC', '\U0001F3FD', '\U0001F3FE', '\U0001F3FF']


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, check=True, text=True, capture_output=True, **kw).stdout


def fetch(work, pkgs):
    debs, xdir = os.path.join(work, 'debs'), os.path.join(work, 'x')
    os.makedirs(debs, exist_ok=True)
    versions = {}
    for p in pkgs:
        have = glob.glob(os.path.join(debs, p + '_*.deb'))
        if not have:
            print('apt-get download', p, file=sys.stderr)
            try:
                sh('apt-get download %s' % p, cwd=debs)
            except subprocess.CalledProcessError:
                subprocess.run('apt-get update -qq', shell=True, capture_output=True)
                sh('apt-get download %s' % p, cwd=debs)
            have = glob.glob(os.path.join(debs, p + '_*.deb'))
        deb = sorted(have)[-1]
        versions[p] = sh('dpkg-deb -f %s Version' % deb).strip()
        dst = os.path.join(xdir, p)
        if not os.path.isfile(dst + '.done'):
            shutil.rmtree(dst, ignore_errors=True)
            os.makedirs(dst)
            sh('dpkg -x %s %s' % (deb, dst))
            open(dst + '.done', 'w').close()
    return versions


class Out:
    def __init__(self, root, work, collected, versions):
        self.root, self.x, self.collected, self.versions = root, os.path.join(work, 'x'), collected, versions
        self.manifest, self.families = {}, {}
        self.seen = set()  # sha256 of every file written: icon themes ship one picture under several names

    def _new(self, src):
        h = hashlib.sha256(open(src, 'rb').read()).hexdigest()
        if h in self.seen:
            return False
        self.seen.add(h)
        return True

    def close_group(self, sub, family):
        """keep a hard-negative / natural group only if at least 2 distinct files made it in"""
        d = os.path.join(self.root, sub)
        if os.path.isdir(d) and len(os.listdir(d)) >= 2:
            self.families[sub] = family
        elif os.path.isdir(d):
            for f in os.listdir(d):
                del self.manifest[os.path.join(sub, f)]
            shutil.rmtree(d)

    def _dst(self, sub, name):
        d = os.path.join(self.root, sub)
        os.makedirs(d, exist_ok=True)
        return os.path.join(d, re.sub(r'[^A-Za-z0-9._+-]', '_', name))

    def take(self, rel, sub):
        """a file from collect_sources.py's folder, with its manifest entry"""
        src = os.path.join(self.collected['root'], rel)
        if not self._new(src):
            return None
        dst = self._dst(sub, os.path.basename(rel))
        shutil.copyfile(src, dst)
        self.manifest[os.path.relpath(dst, self.root)] = self.collected['files'][rel]
        return dst

    def add(self, pkg, src, sub, name=None):
        """a file from an unpacked extra package"""
        if not self._new(src):
            return None
        base = os.path.join(self.x, pkg)
        inpkg = os.path.relpath(src, base if src.startswith(base + '/') else self.x)  # GCompris: x/gcompris-extracted
        dst = self._dst(sub, name or '%s__%s' % (pkg, inpkg.split('/')[-1]))
        shutil.copyfile(src, dst)
        self.manifest[os.path.relpath(dst, self.root)] = {'package': pkg, 'version': self.versions[pkg],
                                                         'path': inpkg, 'license': LICENCES[pkg]}
        return dst

    def pdf_page(self, pkg, pdf, page, sub, dpi=60):
        """one page of a PDF manual rendered with pdftoppm (poppler-utils); False if the page is missing"""
        inpkg = os.path.relpath(pdf, os.path.join(self.x, pkg))
        dst = self._dst(sub, '%s__%s_p%d.png' % (pkg, inpkg.replace('/', '_')[:-4], page))
        r = subprocess.run(['pdftoppm', '-r', str(dpi), '-f', str(page), '-l', str(page), '-png', '-singlefile',
                            pdf, dst[:-4]], capture_output=True)
        if r.returncode != 0 or not os.path.isfile(dst):
            return False
        if not self._new(dst):
            os.remove(dst)
            return False
        self.manifest[os.path.relpath(dst, self.root)] = {'package': pkg, 'version': self.versions[pkg],
                                                         'path': '%s page %d (pdftoppm -r %d)' % (inpkg, page, dpi),
                                                         'license': LICENCES[pkg]}
        return True

    def g(self, pkg, pattern, min_size=0):
        return sorted(f for f in glob.glob(os.path.join(self.x, pkg, pattern), recursive=True)
                      if os.path.isfile(f) and os.path.getsize(f) >= min_size)


def render_emoji(o, font_path, text, dst):
    """render, and keep the file only if no identical one was written before"""
    if _render_emoji(font_path, text, dst):
        if o._new(dst):
            return True
        os.remove(dst)
    return False


def _render_emoji(font_path, text, dst):
    from PIL import Image, ImageDraw, ImageFont
    font = ImageFont.truetype(font_path, 109)  # the one bitmap strike of Noto Color Emoji
    im = Image.new('RGBA', (160, 160), (0, 0, 0, 0))
    ImageDraw.Draw(im).text((10, 10), text, font=font, embedded_color=True)
    box = im.getbbox()
    if not box:
        return False
    im.crop(box).save(dst)
    return True


def emoji_candidates(font_path):
    """code points the font draws as one glyph, and those that take skin tones (base + modifier is one
    glyph as wide as the base alone)"""
    from PIL import ImageFont
    font = ImageFont.truetype(font_path, 109)
    notdef = font.getmask('\U000E0FFF').getbbox()
    singles, toned = [], []
    ranges = list(range(0x1F300, 0x1F650)) + list(range(0x1F680, 0x1F700)) + list(range(0x1F900, 0x1FA00)) + \
        list(range(0x1FA70, 0x1FB00))
    for cp in ranges:
        ch = chr(cp)
        m = font.getmask(ch)
        if not m.getbbox() or m.getbbox() == notdef or 0x1F3FB <= cp <= 0x1F3FF:
            continue
        singles.append(cp)
        if font.getlength(ch + EMOJI_TONES[0]) == font.getlength(ch):
            toned.append(cp)
    return singles, toned


RULE = ('family = the folder under orig/ named by the source of the original (variants: their original); '
        'hard negatives and natural duplicates: the family of their group (sources-heldout/families.json)')


def label(bench, out):
    gt = json.load(open(os.path.join(bench, 'ground_truth.json')))
    groups = json.load(open(os.path.join(out, 'families.json')))
    fam, counts = {}, {}
    for f, r in sorted(gt['files'].items()):
        src = r['source']
        if r['role'] in ('original', 'variant'):
            parts = src.split('/')
            if parts[0] != 'orig':
                sys.exit('%s: source %s is not under orig/<family>/' % (f, src))
            fam[f] = parts[1]
        else:
            fam[f] = groups[os.path.dirname(src)]
        c = counts.setdefault(fam[f], {})
        c[r['role']] = c.get(r['role'], 0) + 1
    json.dump({'rule': RULE, 'files': fam, 'counts': counts}, open(os.path.join(bench, 'families.json'), 'w'), indent=1, sort_keys=True)
    print(json.dumps(counts, indent=1, sort_keys=True))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--work')
    ap.add_argument('--public-gt', help="the public benchmark's ground_truth.json (its sources are left out)")
    ap.add_argument('--out')
    ap.add_argument('--seed', type=int, default=12)
    ap.add_argument('--cap', type=int, default=560, help='at most this many candidate originals per family')
    ap.add_argument('--label', metavar='BENCH_DIR', help='write BENCH_DIR/families.json and stop')
    a = ap.parse_args()
    if a.label:
        if not a.out and not a.work:
            ap.error('--label needs --out (the sources folder) or --work')
        return label(a.label, os.path.abspath(a.out or os.path.join(a.work, 'sources-heldout')))
    if not a.work or not a.public_gt:
        ap.error('--work and --public-gt are required')
    work = os.path.abspath(a.work)
    out = os.path.abspath(a.out or os.path.join(work, 'sources-heldout'))
    croot = os.path.join(work, 'sources')
    cman = json.load(open(os.path.join(croot, 'manifest.json')))
    collected = {'root': croot, 'files': cman['files']}
    public = {os.path.basename(s) for s in json.load(open(a.public_gt))['sources']}
    versions = dict(cman['packages'], **fetch(work, list(EXTRA_DEBS)))
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    o = Out(out, work, collected, versions)
    rng = random.Random(a.seed)
    cands = {}  # family -> [(kind, args)] before capping

    def cand(family, item):
        cands.setdefault(family, []).append(item)

    # ---- families from collect_sources.py's folders (public-benchmark sources left out)
    reserved = set()
    for rel in sorted(cman['files']):
        base = os.path.basename(rel)
        pkg = cman['files'][rel]['package']
        if base in public or rel.startswith(('hardneg/', 'natural_dups/', 'videos/', 'natural_dup_videos/')):
            continue
        if rel.startswith('photos/'):
            cand('wallpapers' if pkg in WALLPAPER_PKGS else 'photos', ('take', rel))
        elif rel.startswith('clipart/'):
            cand('clipart', ('take', rel))
        elif rel.startswith('scale/'):
            if pkg == 'tuxpaint-stamps-default':
                cand('stamps', ('take', rel))
            elif pkg == 'stellarium-data':
                cand('astronomy', ('take', rel))
            elif '__lang__' in base:
                cand('drawings', ('take', rel))
    for g in sorted(os.listdir(os.path.join(croot, 'hardneg'))):
        if not os.path.isdir(os.path.join(croot, 'hardneg', g)) or g.startswith(PUBLIC_HARDNEG_PREFIXES):
            continue
        for f in sorted(os.listdir(os.path.join(croot, 'hardneg', g))):
            o.take('hardneg/%s/%s' % (g, f), 'hardneg/' + g)
        o.close_group('hardneg/' + g, 'photos')
    for g in sorted(os.listdir(os.path.join(croot, 'natural_dups'))):
        if g.startswith('plasma_'):  # the public set used the other groups
            for f in sorted(os.listdir(os.path.join(croot, 'natural_dups', g))):
                o.take('natural_dups/%s/%s' % (g, f), 'natural_dups/' + g)
            o.close_group('natural_dups/' + g, 'wallpapers')

    # ---- flags and maps (KGeography)
    kg = 'usr/share/kgeography/'
    for layout, names in FLAG_LAYOUTS.items():
        for n in names:
            f = os.path.join(o.x, 'kgeography-data', kg + 'flags/%s.png' % n)
            reserved.add(f)
            o.add('kgeography-data', f, 'hardneg/flags_' + layout)
        o.close_group('hardneg/flags_' + layout, 'flags')
    for f in o.g('kgeography-data', kg + 'flags/**/*.png', 1500):
        if f not in reserved and not os.path.basename(f).startswith('blurred_'):  # blurred copies of other flags
            rel = os.path.relpath(f, os.path.join(o.x, 'kgeography-data', kg + 'flags'))
            cand('flags', ('add', 'kgeography-data', f, 'kgeography-data__flag_' + rel.replace('/', '_')))
    for f in o.g('kgeography-data', kg + '*.png', 4000):
        cand('maps', ('add', 'kgeography-data', f, None))
    # ---- icons: Yaru accent colours are the same drawing recoloured (hard negatives)
    yaru = os.path.join(o.x, 'yaru-theme-icon', 'usr/share/icons')
    accent_names = sorted(os.path.relpath(f, os.path.join(yaru, 'Yaru-red/256x256'))
                          for f in glob.glob(os.path.join(yaru, 'Yaru-red/256x256/*/*.png')))
    for n in accent_names:
        grp = [os.path.join(yaru, t, '256x256', n) for t in YARU_ACCENTS]
        if all(os.path.isfile(f) for f in grp):
            gname = 'yaru_accents_' + os.path.basename(n)[:-4]
            for t, f in zip(YARU_ACCENTS, grp):
                reserved.add(f)
                o.add('yaru-theme-icon', f, 'hardneg/' + gname, 'yaru-theme-icon__%s__%s' % (t, os.path.basename(n)))
            o.close_group('hardneg/' + gname, 'icons')
    yaru_plain = [f for f in o.g('yaru-theme-icon', 'usr/share/icons/Yaru/256x256/*/*.png', 3000)
                  if os.path.relpath(f, os.path.join(yaru, 'Yaru/256x256')) not in accent_names]
    ox = sorted(o.g('oxygen-icon-theme', 'usr/share/icons/oxygen/base/256x256/**/*.png', 3000))
    # natural duplicates: one icon drawn at 256 and 512 px (Yaru @2x) or 256 and 128 px (Oxygen)
    for pkg, files, step, other, prefix in [('yaru-theme-icon', yaru_plain, 40, '/256x256@2x/', 'yaru_sizes_'),
                                            ('oxygen-icon-theme', ox, 60, '/128x128/', 'oxygen_sizes_')]:
        for f in files[::step]:
            second = f.replace('/256x256/', other)
            if os.path.isfile(second):
                g = prefix + os.path.basename(f)[:-4]
                for s in (f, second):
                    reserved.add(s)
                    o.add(pkg, s, 'natural_dups/' + g, '%s__%s__%s' % (pkg, s.split('/')[-3], os.path.basename(f)))
                o.close_group('natural_dups/' + g, 'icons')
    for f in yaru_plain + ox:
        if f not in reserved:
            pkg = 'yaru-theme-icon' if '/Yaru/' in f else 'oxygen-icon-theme'
            cand('icons', ('add', pkg, f, '%s__%s__%s' % (pkg, f.split('/')[-2], os.path.basename(f))))
    # ---- screenshots (English handbooks only: translated screenshots would be unlabelled near-copies)
    for f in o.g('gimp-help-en', 'usr/share/gimp/2.0/help/en/images/**/*.png', 6000):
        if '/examples/' not in f:
            rel = os.path.relpath(f, os.path.join(o.x, 'gimp-help-en', 'usr/share/gimp/2.0/help/en/images'))
            cand('screenshots', ('add', 'gimp-help-en', f, 'gimp-help-en__' + rel.replace('/', '_')))
    for pkg, pat in [('kstars-data', 'usr/share/doc/HTML/en/kstars/*.png'), ('marble-data', 'usr/share/doc/HTML/en/marble/*.png'),
                     ('gnome-user-docs', 'usr/share/help/C/gnome-help/figures/*.png')]:
        for f in o.g(pkg, pat, 6000):
            cand('screenshots', ('add', pkg, f, None))
    # ---- astronomy: planet textures, xplanet maps; moon phases as hard negatives
    tex = 'usr/share/kstars/textures/'
    phases = ['moon%02d.png' % i for i in (3, 7, 11, 15, 19, 23)]
    for n in phases:
        reserved.add(os.path.join(o.x, 'kstars-data', tex + n))
        o.add('kstars-data', os.path.join(o.x, 'kstars-data', tex + n), 'hardneg/kstars_moon_phases')
    o.close_group('hardneg/kstars_moon_phases', 'astronomy')
    for f in o.g('kstars-data', tex + '*.png', 3000) + o.g('xplanet-images', 'usr/share/xplanet/images/*', 3000):
        if f not in reserved and not os.path.basename(f).startswith('moon'):
            cand('astronomy', ('add', 'kstars-data' if 'kstars' in f else 'xplanet-images', f, None))
    # ---- wallpapers: Debian desktop themes; one theme at three 16:9 sizes is a natural group
    for d in sorted(glob.glob(os.path.join(o.x, 'desktop-base', 'usr/share/desktop-base/*-theme/wallpaper/contents/images'))):
        theme = d.split('/')[-4]
        imgs = sorted(glob.glob(d + '/*.png') + glob.glob(d + '/*.jpg'))
        wide = [f for f in imgs if re.match(r'(\d+)x(\d+)\.', os.path.basename(f)) and
                (lambda m: int(m.group(1)) * 9 == int(m.group(2)) * 16)(re.match(r'(\d+)x(\d+)\.', os.path.basename(f)))]
        if len(wide) >= 2:
            for f in wide[:3]:
                o.add('desktop-base', f, 'natural_dups/desktop_base_' + theme, 'desktop-base__%s__%s' % (theme, os.path.basename(f)))
            o.close_group('natural_dups/desktop_base_' + theme, 'wallpapers')
        others = [f for f in imgs if f not in wide]
        if others:
            big = max(others, key=os.path.getsize)
            cand('wallpapers', ('add', 'desktop-base', big, 'desktop-base__%s__%s' % (theme, os.path.basename(big))))
    # ---- documents: the first two pages of each LaTeX package manual, rendered at 60 dpi
    for f in o.g('texlive-latex-base-doc', 'usr/share/doc/texlive-doc/**/*.pdf'):
        for page in (1, 2):
            cand('documents', ('pdf', 'texlive-latex-base-doc', f, page))
    # ---- paintings (GCompris): whole paintings and monuments of `details`; the 6 pieces of one painting
    #      in `paintings` (pieces named <name>_<n>, not the <name>_<letter><n> tiles the public set used)
    gx = os.path.join(o.x, 'gcompris-extracted')
    for f in sorted(glob.glob(os.path.join(gx, 'details/**/*_background.webp'), recursive=True)):
        cand('paintings', ('add', 'gcompris-qt-data', f, 'gcompris-qt-data__details__' + os.path.basename(f)))
    pieces = {}
    for f in sorted(glob.glob(os.path.join(gx, 'paintings/**/*.webp'), recursive=True)):
        m = re.match(r'(.+?)[_-](\d)\.webp$', os.path.basename(f))
        if m:
            pieces.setdefault(m.group(1), []).append(f)
    for k, v in sorted(pieces.items()):
        if len(v) >= 6:
            for f in v[:6]:
                o.add('gcompris-qt-data', f, 'hardneg/gcompris_pieces_' + k, 'gcompris-qt-data__paintings__' + os.path.basename(f))
            o.close_group('hardneg/gcompris_pieces_' + k, 'paintings')
    # ---- emoji (Noto Color Emoji, rendered): skin tones of one emoji are hard negatives
    font = os.path.join(o.x, 'fonts-noto-color-emoji', 'usr/share/fonts/truetype/noto/NotoColorEmoji.ttf')
    singles, toned = emoji_candidates(font)
    tone_bases = toned[::max(1, len(toned) // 24)][:24]
    for cp in tone_bases:
        g = 'emoji_noto_tones_%x' % cp
        d = os.path.join(out, 'hardneg', g)
        os.makedirs(d, exist_ok=True)
        for t, mod in enumerate([''] + EMOJI_TONES):
            dst = os.path.join(d, 'fonts-noto-color-emoji__u%x%s.png' % (cp, '_%x' % ord(mod) if mod else ''))
            if render_emoji(o, font, chr(cp) + mod, dst):
                o.manifest[os.path.relpath(dst, out)] = {'package': 'fonts-noto-color-emoji', 'version': versions['fonts-noto-color-emoji'],
                                                        'path': 'NotoColorEmoji.ttf U+%X%s (rendered, Pillow)' % (cp, ' U+%X' % ord(mod) if mod else ''),
                                                        'license': EXTRA_DEBS['fonts-noto-color-emoji']}
        o.close_group('hardneg/' + g, 'emoji')
    for cp in singles:
        if cp not in tone_bases:
            cand('emoji', ('emoji', cp))

    # ---- cap each family (seeded sample) and write the candidates
    groups_json = {}
    counts = {}
    for fam in sorted(cands):
        items = sorted(cands[fam], key=lambda it: json.dumps(it))
        if len(items) > a.cap:
            items = sorted(random.Random('%d-%s' % (a.seed, fam)).sample(items, a.cap), key=lambda it: json.dumps(it))
        counts[fam] = len(items)
        for it in items:
            if it[0] == 'take':
                o.take(it[1], 'orig/' + fam)
            elif it[0] == 'add':
                o.add(it[1], it[2], 'orig/' + fam, it[3])
            elif it[0] == 'pdf':
                o.pdf_page(it[1], it[2], it[3], 'orig/' + fam)
            else:
                dst = o._dst('orig/emoji', 'fonts-noto-color-emoji__u%x.png' % it[1])
                if render_emoji(o, font, chr(it[1]), dst):
                    o.manifest[os.path.relpath(dst, out)] = {'package': 'fonts-noto-color-emoji', 'version': versions['fonts-noto-color-emoji'],
                                                            'path': 'NotoColorEmoji.ttf U+%X (rendered, Pillow)' % it[1],
                                                            'license': EXTRA_DEBS['fonts-noto-color-emoji']}
    for g in sorted(os.listdir(os.path.join(out, 'hardneg'))):
        groups_json[g] = ('recolor_variant' if g.startswith(('flags_', 'yaru_accents_', 'emoji_noto_tones_')) else
                          'different_frame_same_scene' if g.startswith(('visp_', 'kstars_moon_')) else
                          'different_piece_same_artwork' if g.startswith('gcompris_pieces_') else
                          'different_shot_same_scene')
    json.dump(groups_json, open(os.path.join(out, 'hardneg', 'groups.json'), 'w'), indent=1, sort_keys=True)
    json.dump(o.families, open(os.path.join(out, 'families.json'), 'w'), indent=1, sort_keys=True)
    json.dump({'packages': versions, 'files': o.manifest}, open(os.path.join(out, 'manifest.json'), 'w'), indent=1, sort_keys=True)
    print(json.dumps({'candidate_originals_per_family': counts,
                      'hardneg_groups': len(groups_json), 'natural_groups': sum(k.startswith('natural_dups/') for k in o.families)},
                     indent=1))


if __name__ == '__main__':
    main()
