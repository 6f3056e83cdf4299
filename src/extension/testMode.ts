/**
 * The one switch for test-only behaviour. The e2e test installs the packaged extension into a real
 * VS Code (so `ExtensionMode` says Production there) and starts that VS Code with this variable set;
 * only then are the test commands registered. Nothing else in the extension branches on it.
 */
export const TEST_MODE_ENV = 'MEDIA_DEDUPE_E2E';

export function isTestMode(env: Readonly<Record<string, string | undefined>>): boolean {
  return env[TEST_MODE_ENV] === '1';
}
