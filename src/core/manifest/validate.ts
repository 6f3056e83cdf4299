import schema from '../../../schemas/dedupe-manifest.schema.json';
import { validateJsonSchema, type JsonSchema } from './jsonSchema.js';
import type { Manifest, ManifestV1 } from './types.js';

/** The schema shipped in schemas/ (bundled into the engine, so the CLI and extension check against the very same file). */
export const MANIFEST_SCHEMA: JsonSchema = schema as JsonSchema;

/**
 * Problems that make a value not a manifest (version 1 or 2): the schema's, then the cross-references
 * the schema cannot express (every path in clusters, pairs and identical groups must be described in
 * `files`). Empty = valid.
 */
export function validateManifest(value: unknown): string[] {
  const errors = validateJsonSchema(value, MANIFEST_SCHEMA);
  if (errors.length > 0) return errors;
  const m = value as Manifest | ManifestV1;
  const known = new Set<string>(m.files.map((f) => f.path));
  const need = (p: string, where: string): void => {
    if (!known.has(p) && errors.length < 20) errors.push(`${where}: ${JSON.stringify(p)} is not described in files`);
  };
  (m.pairs ?? []).forEach((p, i) => {
    need(p.a, `pairs[${i}].a`);
    need(p.b, `pairs[${i}].b`);
  });
  m.clusters.forEach((c, i) => {
    need(c.keep, `clusters[${i}].keep`);
    c.members.forEach((x, j) => need(x.path, `clusters[${i}].members[${j}].path`));
  });
  if (m.version === 2) m.identical?.forEach((g, i) => g.forEach((p, j) => need(p, `identical[${i}][${j}]`)));
  return errors;
}
