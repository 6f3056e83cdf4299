/**
 * A small JSON Schema (draft-07) validator for the keywords our schemas use: type, const, enum,
 * properties, required, additionalProperties, items (one schema), minItems, maxItems, minLength,
 * pattern, minimum, anyOf and local $ref ("#/definitions/..."). Anything else is ignored, so keep the schema
 * inside this subset (the manifest tests check that it is). Not a general validator: no dependency,
 * and the messages name the JSON path that failed.
 */
export type JsonSchema = { readonly [k: string]: unknown };

export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'const',
  'enum',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'pattern',
  'minimum',
  '$ref',
  'definitions',
  'anyOf',
]);

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' && Number.isInteger(v) ? 'integer' : typeof v);

function typeMatches(v: unknown, t: string): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

export function validateJsonSchema(value: unknown, schema: JsonSchema, root: JsonSchema = schema, maxErrors = 20): string[] {
  const errors: string[] = [];
  const patterns = new Map<string, RegExp>();
  const visit = (v: unknown, s: JsonSchema, at: string): void => {
    if (errors.length >= maxErrors) return;
    if (typeof s.$ref === 'string') {
      const m = /^#\/definitions\/(.+)$/.exec(s.$ref);
      const target = m ? (root.definitions as Record<string, JsonSchema> | undefined)?.[m[1]] : undefined;
      if (!target) throw new Error(`schema: cannot resolve $ref ${s.$ref}`);
      visit(v, target, at);
    }
    const fail = (msg: string): void => {
      errors.push(`${at || '(root)'}: ${msg}`);
    };
    if (Array.isArray(s.anyOf)) {
      // Valid when one branch is. Otherwise report the branch the value says it is (a property it
      // carries equals the branch's `const` for it, e.g. "version": 2), else the one with fewest errors.
      const under = (e: string): string => (at === '' ? e : e.startsWith('(root)') ? at + e.slice('(root)'.length) : `${at}.${e}`);
      const tries: string[][] = [];
      for (const b of s.anyOf as JsonSchema[]) {
        const t = validateJsonSchema(v, b, root, maxErrors);
        if (t.length === 0) return;
        tries.push(t);
      }
      const branches = (s.anyOf as JsonSchema[]).map((b) => resolveRef(b, root));
      let pick = branches.findIndex((b) => discriminates(b, v));
      if (pick === -1) pick = tries.reduce((best, t, i) => (t.length < tries[best].length ? i : best), 0);
      for (const e of tries[pick]) if (errors.length < maxErrors) errors.push(under(e));
      return;
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => typeMatches(v, t))) return fail(`expected ${types.join(' or ')} but found ${typeOf(v)}`);
    }
    if ('const' in s && v !== s.const) return fail(`expected ${JSON.stringify(s.const)} but found ${JSON.stringify(v)}`);
    if (Array.isArray(s.enum) && !s.enum.includes(v))
      return fail(`expected one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')} but found ${JSON.stringify(v)}`);
    if (typeof v === 'string') {
      if (typeof s.minLength === 'number' && v.length < s.minLength) fail(`expected at least ${s.minLength} characters`);
      if (typeof s.pattern === 'string') {
        let re = patterns.get(s.pattern);
        if (!re) patterns.set(s.pattern, (re = new RegExp(s.pattern, 'u')));
        if (!re.test(v)) fail(`${JSON.stringify(v)} does not match ${s.pattern}`);
      }
    }
    if (typeof v === 'number' && typeof s.minimum === 'number' && v < s.minimum) fail(`expected a value >= ${s.minimum} but found ${v}`);
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) fail(`expected at least ${s.minItems} items but found ${v.length}`);
      if (typeof s.maxItems === 'number' && v.length > s.maxItems) fail(`expected at most ${s.maxItems} items but found ${v.length}`);
      if (s.items && typeof s.items === 'object') v.forEach((item, i) => visit(item, s.items as JsonSchema, `${at}[${i}]`));
    }
    if (typeOf(v) === 'object') {
      const obj = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, JsonSchema>;
      for (const k of (s.required as string[] | undefined) ?? []) if (!(k in obj)) fail(`missing required field ${JSON.stringify(k)}`);
      for (const [k, val] of Object.entries(obj)) {
        const child = at ? `${at}.${k}` : k;
        if (props[k]) visit(val, props[k], child);
        else if (s.additionalProperties === false) fail(`unexpected field ${JSON.stringify(k)}`);
        else if (s.additionalProperties && typeof s.additionalProperties === 'object') visit(val, s.additionalProperties as JsonSchema, child);
      }
    }
  };
  visit(value, schema, '');
  return errors;
}

function resolveRef(s: JsonSchema, root: JsonSchema): JsonSchema {
  const m = typeof s.$ref === 'string' ? /^#\/definitions\/(.+)$/.exec(s.$ref) : null;
  return m ? ((root.definitions as Record<string, JsonSchema>)[m[1]] ?? s) : s;
}

function discriminates(branch: JsonSchema, v: unknown): boolean {
  if (typeOf(v) !== 'object') return false;
  const props = (branch.properties ?? {}) as Record<string, JsonSchema>;
  return Object.entries(props).some(([k, p]) => 'const' in p && (v as Record<string, unknown>)[k] === p.const);
}

/** Keywords in a schema outside the supported subset (a test keeps this empty). */
export function unsupportedKeywords(schema: unknown, out = new Set<string>(), inProps = false): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => unsupportedKeywords(s, out));
  else if (schema && typeof schema === 'object') {
    for (const [k, v] of Object.entries(schema)) {
      // Keys of `properties` and `definitions` are names, not keywords.
      if (!inProps && !SUPPORTED_KEYWORDS.has(k)) out.add(k);
      if (k === 'enum' || k === 'const') continue;
      unsupportedKeywords(v, out, !inProps && (k === 'properties' || k === 'definitions'));
    }
  }
  return out;
}
