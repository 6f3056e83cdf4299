/**
 * The `?version=` of a file's webview URI, from its size and modification time: a file changed on disk
 * gets a new URL, so the page loads it again instead of showing what the webview cached for the old one
 * (the pattern of VS Code's media preview). stat and the fallback are parameters, so this is tested
 * without a file system; the fallback answers when stat fails (the file is gone or unreadable).
 */

export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

export function stampVersion(s: FileStamp): string {
  return `${s.size.toString(36)}-${Math.trunc(s.mtimeMs).toString(36)}`;
}

export async function resourceVersion(path: string, stat: (path: string) => Promise<FileStamp>, fallback: (path: string) => string): Promise<string> {
  try {
    return stampVersion(await stat(path));
  } catch {
    return fallback(path);
  }
}

/**
 * The files whose version on disk differs from the one the page has, with their new version. A file that
 * stat cannot read, or whose name `absPath` refuses (outside the scanned folder), keeps the version it has
 * (it shows as it did, or as missing).
 */
export async function changedVersions(
  files: readonly { readonly path: string; readonly version?: string }[],
  absPath: (rel: string) => string,
  stat: (path: string) => Promise<FileStamp>,
): Promise<{ file: number; version: string }[]> {
  const now = await Promise.all(
    files.map((f) =>
      resourceVersion(
        f.path,
        (rel) => stat(absPath(rel)),
        () => f.version ?? '',
      ),
    ),
  );
  return now.flatMap((version, file) => (version !== (files[file]!.version ?? '') ? [{ file, version }] : []));
}
