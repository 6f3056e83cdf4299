/**
 * tsconfig.core.json maps the `vscode` module here. A plain module (src/core, src/cli, src/shared, or an
 * src/extension file not named *.vscode.ts) that imports `vscode` then fails the type-check with this
 * message, instead of quietly getting the API's types from node_modules/@types/vscode.
 */
export const importedVscode: 'a plain module imported vscode: only src/extension/**/*.vscode.ts files may' = 'see tsconfig.core.json';
