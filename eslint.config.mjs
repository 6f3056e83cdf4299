// One lint configuration for every runtime (engine, CLI, extension host, webview, tests, bench, scripts).
// Formatting is Prettier's job (.prettierrc.json); this file only holds rules about code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { layerLintBlocks } from './scripts/layers.mjs';

// The vscode rule below; the layer blocks repeat it because a later block replaces a rule's options.
const VSCODE_ONLY = {
  paths: [{ name: 'vscode', message: 'Only src/extension/**/*.vscode.ts files may import vscode; keep this module plain Node.' }],
  patterns: [{ group: ['**/*.vscode.js', '**/*.vscode'], message: 'A plain module may not import a *.vscode module (it needs the extension host).' }],
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'native/**/build/**', 'test-output/**', 'sample-dataset/**', '.e2e/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    rules: {
      // Unused names are mistakes, except deliberate `_`-prefixed ones.
      // TypeScript already resolves every name; the scripts (.mjs) run on Node, whose globals ESLint does not know.
      'no-undef': 'off',
      // Native addons (the decoder, annoy, sharp) are loaded with a plain require on purpose: lazily, and outside the bundle.
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Only files named *.vscode.ts may use the vscode API (the other half of the rule is tsconfig.core.json,
    // which type-checks every other src/extension file without the vscode types). A plain module must not
    // import a *.vscode module either, or it would pull the API in through it.
    files: ['src/**/*.ts', 'webview/**/*.ts'],
    ignores: ['src/extension/**/*.vscode.ts'],
    rules: { 'no-restricted-imports': ['error', VSCODE_ONLY] },
  },
  // Folders import only downward (scripts/layers.mjs; scripts/check-layers.mjs checks the whole graph).
  ...layerLintBlocks(VSCODE_ONLY),
  {
    // Tests read manifests and webview state as loose JSON.
    files: ['test/**/*.ts', 'src/**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
