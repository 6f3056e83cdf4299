// Public surface of the engine. Nothing here (or below) may import `vscode`.
export * from './errors.js';
export * from './cv/types.js';
export * from './hashers/types.js';
export * from './hashers/format.js';
