/**
 * The naming rule of src/extension, as a check: a file imports `vscode` exactly when its name ends in
 * `.vscode.ts`. ESLint and tsconfig.core.json stop a plain module from importing vscode; this catches the
 * other direction, a `*.vscode.ts` file that does not need the extension host, which would otherwise be
 * left out of the plain-Node type-check for nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const IMPORTS_VSCODE = /^\s*import\b[^;]*\bfrom\s+['"]vscode['"]|^\s*import\s+['"]vscode['"]|\brequire\(\s*['"]vscode['"]\s*\)/m;

export function hostFileProblems(files: readonly { readonly path: string; readonly text: string }[]): string[] {
  const problems: string[] = [];
  for (const f of files) {
    if (!f.path.endsWith('.ts') || f.path.endsWith('.test.ts')) continue;
    const named = f.path.endsWith('.vscode.ts');
    const imports = IMPORTS_VSCODE.test(f.text);
    if (imports && !named) problems.push(`${f.path} imports vscode: name it *.vscode.ts, or pass what it needs in as parameters`);
    if (named && !imports) problems.push(`${f.path} does not import vscode: drop ".vscode" from its name so the plain-Node type-check covers it`);
  }
  return problems;
}

/** Every .ts file under `dir`, with its path relative to `dir` (POSIX). */
export function readTree(dir: string, rel = ''): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...readTree(dir, r));
    else if (e.name.endsWith('.ts')) out.push({ path: r, text: readFileSync(path.join(dir, r), 'utf8') });
  }
  return out;
}
