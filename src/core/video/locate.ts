/**
 * Finds the ffmpeg and ffprobe executables: the user's setting first, then PATH, then the npm packages
 * bundled with the extension. A candidate counts only if it runs (`-version`), so a broken or
 * wrong-architecture binary falls through to the next one instead of failing every video later.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { MediaError } from '../errors.js';

export interface FfmpegTools {
  readonly ffmpeg: string;
  /** undefined when no ffprobe was found: probing then falls back to parsing `ffmpeg -i`. */
  readonly ffprobe?: string;
  /** Where ffmpeg came from, for logs and error messages. */
  readonly source: 'setting' | 'PATH' | 'bundled';
  /** First line of `ffmpeg -version`. */
  readonly version: string;
}

export interface LocateOptions {
  readonly ffmpegPath?: string;
  readonly ffprobePath?: string;
  /** Defaults to process.env.PATH; tests pass '' to hide the system's ffmpeg. */
  readonly searchPath?: string;
  /** Set false to ignore the npm packages (tests of the "missing" path). */
  readonly bundled?: boolean;
}

const EXE = process.platform === 'win32' ? '.exe' : '';
const versionCache = new Map<string, Promise<string | undefined>>();

/** First line of `<bin> -version`, or undefined when it does not run. Cached per path. */
export function toolVersion(bin: string): Promise<string | undefined> {
  let p = versionCache.get(bin);
  if (!p) {
    p = new Promise((resolve) => {
      execFile(bin, ['-version'], { timeout: 15000, windowsHide: true }, (err, stdout) => {
        resolve(err ? undefined : String(stdout).split(/\r?\n/)[0]?.trim() || 'unknown version');
      });
    });
    versionCache.set(bin, p);
  }
  return p;
}

function isExecutable(p: string): boolean {
  try {
    accessSync(p, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name + EXE);
    if (existsSync(p) && isExecutable(p)) return p;
  }
  return undefined;
}

/** The installer packages export `.path`; they are optional at runtime (a slim install may drop them). */
function bundled(pkg: '@ffmpeg-installer/ffmpeg' | '@ffprobe-installer/ffprobe'): string | undefined {
  try {
    const mod = require(pkg) as { path?: unknown };
    return typeof mod.path === 'string' && existsSync(mod.path) ? mod.path : undefined;
  } catch {
    return undefined;
  }
}

async function firstRunnable(cands: readonly (string | undefined)[]): Promise<{ path: string; version: string } | undefined> {
  for (const c of cands) {
    if (!c) continue;
    const v = await toolVersion(c);
    if (v) return { path: c, version: v };
  }
  return undefined;
}

/**
 * Resolves ffmpeg (required) and ffprobe (optional). Throws MediaError FFMPEG_MISSING with what was tried.
 * A configured path that does not run is an error of its own: silently using another ffmpeg would hide the typo.
 */
export async function locateFfmpeg(opts: LocateOptions = {}): Promise<FfmpegTools> {
  const searchPath = opts.searchPath ?? process.env.PATH ?? '';
  const useBundled = opts.bundled ?? true;
  let ffmpeg: { path: string; version: string } | undefined;
  let source: FfmpegTools['source'];
  if (opts.ffmpegPath) {
    ffmpeg = await firstRunnable([opts.ffmpegPath]);
    if (!ffmpeg)
      throw new MediaError(
        'FFMPEG_MISSING',
        `The configured ffmpeg (${opts.ffmpegPath}) does not exist or does not run; fix the setting or clear it to use ffmpeg from PATH.`,
      );
    source = 'setting';
  } else {
    ffmpeg = await firstRunnable([onPath('ffmpeg', searchPath)]);
    source = 'PATH';
    if (!ffmpeg && useBundled) {
      ffmpeg = await firstRunnable([bundled('@ffmpeg-installer/ffmpeg')]);
      source = 'bundled';
    }
  }
  if (!ffmpeg) {
    throw new MediaError(
      'FFMPEG_MISSING',
      'ffmpeg was not found (no setting, not on PATH, no bundled copy): videos are skipped. Install ffmpeg or set its path (--ffmpeg / mediaDedupe.ffmpegPath).',
    );
  }
  let ffprobe: string | undefined;
  if (opts.ffprobePath) {
    ffprobe = (await firstRunnable([opts.ffprobePath]))?.path;
    if (!ffprobe) throw new MediaError('FFMPEG_MISSING', `The configured ffprobe (${opts.ffprobePath}) does not exist or does not run.`);
  } else {
    // An ffprobe beside the chosen ffmpeg belongs to the same build, so prefer it.
    const sibling = join(dirname(ffmpeg.path), 'ffprobe' + EXE);
    ffprobe = (
      await firstRunnable([
        existsSync(sibling) ? sibling : undefined,
        onPath('ffprobe', searchPath),
        useBundled ? bundled('@ffprobe-installer/ffprobe') : undefined,
      ])
    )?.path;
  }
  return { ffmpeg: ffmpeg.path, ffprobe, source, version: ffmpeg.version };
}
