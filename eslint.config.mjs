// One lint configuration for every runtime (engine, CLI, extension host, webview, tests, bench, scripts).
// Formatting is Prettier's job (.prettierrc.json); this file only holds rules about code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    // Tests read manifests and webview state as loose JSON.
    files: ['test/**/*.ts', 'src/**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
