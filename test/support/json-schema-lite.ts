/**
 * Enough of JSON Schema (2020-12) to check transcript.schema.json against the fixtures and
 * against files the validator rejects: type, const, enum, required, properties,
 * additionalProperties, items, $ref to $defs, oneOf, anyOf, not, minimum, exclusiveMinimum,
 * minLength, minProperties, pattern, propertyNames. Test support only.
 */
type Schema = Record<string, unknown>;

export function schemaErrors(root: Schema, value: unknown): string[] {
  const errors: string[] = [];
  check(root, value, '', errors);
  return errors;

  function resolve(s: Schema): Schema {
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace('#/$defs/', '');
      return resolve((root.$defs as Record<string, Schema>)[name]!);
    }
    return s;
  }

  function check(schema: Schema, v: unknown, path: string, out: string[]): void {
    const s = resolve(schema);
    const fail = (m: string): void => {
      out.push(`${path || '(root)'}: ${m}`);
    };
    if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(v)) fail(`not ${JSON.stringify(s.const)}`);
    if (Array.isArray(s.enum) && !s.enum.includes(v)) fail('not in enum');
    if (typeof s.type === 'string' && !isType(s.type, v)) return fail(`not ${s.type}`);
    if (typeof s.minimum === 'number' && typeof v === 'number' && v < s.minimum) fail('below minimum');
    if (typeof s.exclusiveMinimum === 'number' && typeof v === 'number' && v <= s.exclusiveMinimum) fail('not above minimum');
    if (typeof s.minLength === 'number' && typeof v === 'string' && v.length < s.minLength) fail('too short');
    if (typeof s.pattern === 'string' && typeof v === 'string' && !new RegExp(s.pattern, 'u').test(v)) fail('pattern');
    if (Array.isArray(s.oneOf)) {
      const passing = s.oneOf.filter((x) => errorsOf(x as Schema, v, path).length === 0).length;
      if (passing !== 1) fail(`matches ${passing} of oneOf`);
    }
    if (Array.isArray(s.anyOf) && !s.anyOf.some((x) => errorsOf(x as Schema, v, path).length === 0)) fail('matches none of anyOf');
    if (s.not && errorsOf(s.not as Schema, v, path).length === 0) fail('matches not');
    if (Array.isArray(v) && s.items) v.forEach((x, i) => check(s.items as Schema, x, `${path}[${i}]`, out));
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const r of (s.required ?? []) as string[]) if (!(r in o)) fail(`missing ${r}`);
      if (typeof s.minProperties === 'number' && Object.keys(o).length < s.minProperties) fail('too few properties');
      for (const [k, x] of Object.entries(o)) {
        if (s.propertyNames && errorsOf(s.propertyNames as Schema, k, path).length > 0) fail(`property name ${k}`);
        if (props[k]) check(props[k]!, x, `${path}.${k}`, out);
        else if (s.additionalProperties === false) fail(`unknown ${k}`);
        else if (typeof s.additionalProperties === 'object') check(s.additionalProperties as Schema, x, `${path}.${k}`, out);
      }
    }
  }

  function errorsOf(s: Schema, v: unknown, path: string): string[] {
    const out: string[] = [];
    check(s, v, path, out);
    return out;
  }
}

function isType(type: string, v: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'array':
      return Array.isArray(v);
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    default:
      return typeof v === type;
  }
}
