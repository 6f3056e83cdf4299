// The declared layers of the repository, read by scripts/check-layers.mjs (the whole folder graph: order and
// cycles) and by eslint.config.mjs (the same rules as import restrictions, shown by an editor while typing).

// The engine's folders from low to high. A folder imports only folders on earlier lines, or a sibling on its
// own line as long as no cycle forms. A file directly in src/core (errors.ts, ...) counts as a folder of its own.
export const CORE_ORDER = [
  ['errors', 'types', 'generator'],
  ['profile'],
  ['native'],
  ['kernels'],
  ['cv'],
  ['quality', 'hashers', 'crops'],
  ['files'],
  ['image'],
  ['hashing', 'video'],
  ['workers'],
  ['cache', 'pairs'],
  ['annoy', 'colorcheck', 'decisions'],
  ['manifest'],
  ['scan'],
  ['query'],
  ['shards'],
  ['index'],
  ['testing'],
];

// What each area may import besides itself ("vscode" is the editor's API). A test sits at the top of its
// area: it may use any module of the area and the fixtures of src/core/testing, never a higher area.
export const AREAS = {
  core: [],
  shared: [],
  cli: ['core'],
  extension: ['core', 'shared', 'vscode'],
  webview: ['shared'],
  bench: ['core', 'cli'],
  'test/golden': ['core', 'cli'],
  'test/e2e': ['core', 'shared', 'extension'],
  'test/torture': ['core', 'extension'],
};

// The folder name an import path shows for each area, and where each area's files are.
const SEGMENT = {
  core: 'core',
  shared: 'shared',
  cli: 'cli',
  extension: 'extension',
  webview: 'webview',
  bench: 'bench',
  'test/golden': 'test',
  'test/e2e': 'test',
  'test/torture': 'test',
};
const FILES = {
  core: 'src/core',
  shared: 'src/shared',
  cli: 'src/cli',
  extension: 'src/extension',
  webview: 'webview',
  bench: 'bench',
  'test/golden': 'test/golden',
  'test/e2e': 'test/e2e',
  'test/torture': 'test/torture',
};

/**
 * The same rules as ESLint `no-restricted-imports` blocks, so an editor shows them while typing. `base` holds
 * the options every src/ and webview/ file already has (the vscode rule): a later ESLint block replaces an
 * earlier one's options, so each block repeats them. Within src/core only shipped files are ordered.
 */
export function layerLintBlocks(base) {
  const rule = (withBase, own) => {
    const patterns = [...(withBase ? base.patterns : []), ...own];
    return { 'no-restricted-imports': ['error', withBase ? { paths: base.paths, patterns } : { patterns }] };
  };
  const segments = [...new Set(Object.values(SEGMENT))];
  const forbidden = (area) => segments.filter((s) => s !== SEGMENT[area] && !AREAS[area].some((a) => SEGMENT[a] === s));
  const areaRule = (area) => ({
    regex: `(^|/)(${forbidden(area).join('|')})/`,
    message: `${area} may import only ${AREAS[area].join(', ') || 'itself'} (scripts/layers.mjs)`,
  });
  const blocks = [];
  for (const area of Object.keys(AREAS)) {
    const files = [`${FILES[area]}/**/*.ts`];
    const inSrc = FILES[area].startsWith('src/') || area === 'webview';
    if (area === 'extension') {
      // *.vscode.ts files may use the editor's API, so they do not get the vscode rule.
      blocks.push({ files, ignores: ['**/*.vscode.ts'], rules: rule(true, [areaRule(area)]) });
      blocks.push({ files: ['src/extension/**/*.vscode.ts'], rules: rule(false, [areaRule(area)]) });
    } else blocks.push({ files, rules: rule(inSrc, [areaRule(area)]) });
  }
  CORE_ORDER.forEach((line, i) => {
    const higher = CORE_ORDER.slice(i + 1).flat();
    if (higher.length === 0) return;
    const message = `the engine's folders import only downward: ${line.join('/')} sits below ${higher.join(', ')} (scripts/layers.mjs)`;
    for (const name of line) {
      const up = (prefix) => [areaRule('core'), { regex: `^${prefix}(${higher.join('|')})(/|\\.js$)`, message }];
      blocks.push({ files: [`src/core/${name}/**/*.ts`], ignores: ['**/*.test.ts'], rules: rule(true, up('\\.\\./')) });
      blocks.push({ files: [`src/core/${name}.ts`], rules: rule(true, up('\\./')) });
    }
  });
  return blocks;
}
