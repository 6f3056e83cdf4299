import { version } from '../../package.json';

/** Who wrote a manifest. The version comes from package.json, so it cannot drift from the release. */
export const GENERATOR: { readonly name: string; readonly version: string } = { name: 'media-dedupe', version };
