/**
 * JSON Schema → the OpenAPI subset Gemini takes in `parameters` and `responseSchema`
 * (https://ai.google.dev/api/caching#Schema). Anything outside the subset is dropped,
 * because Gemini answers 400 to a field it does not know; local `$ref`s are inlined since
 * the subset has no references.
 */
import { isRecord } from '../shared/json.js';

type Schema = Record<string, unknown>;

/** String formats Gemini accepts (the Schema page lists `enum` and `date-time`). */
const STRING_FORMATS: readonly string[] = ['enum', 'date-time'];
const NUMBER_KEYS = ['minItems', 'maxItems', 'minimum', 'maximum'] as const;

export function cleanSchema(schema: unknown): Schema {
  return clean(schema, isRecord(schema) ? schema : {}, []);
}

/** `#/$defs/Name`-style pointers into the root document, or undefined when not local. */
function resolvePointer(root: Schema, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return node;
}

function clean(node: unknown, root: Schema, refs: string[]): Schema {
  if (!isRecord(node)) return {};
  const ref = node.$ref;
  if (typeof ref === 'string') {
    const target = resolvePointer(root, ref);
    // A recursive type cannot be inlined; an opaque object is the closest Gemini can take.
    if (refs.includes(ref)) return { type: 'object' };
    const { $ref: _ref, ...siblings } = node;
    const inlined = isRecord(target) ? { ...target, ...siblings } : siblings;
    return clean(inlined, root, [...refs, ref]);
  }
  if (Array.isArray(node.allOf)) return clean(mergeAllOf(node), root, refs);
  const variants = node.anyOf ?? node.oneOf;
  if (Array.isArray(variants)) return cleanUnion(node, variants, root, refs);
  if (Array.isArray(node.type)) return cleanTypeList(node, node.type, root, refs);
  return cleanSingle(node, root, refs);
}

/** `allOf` → one schema with the parts' properties and required names merged. */
function mergeAllOf(node: Schema): Schema {
  const { allOf, ...rest } = node;
  const out: Schema = { ...rest };
  for (const sub of Array.isArray(allOf) ? allOf : []) {
    if (!isRecord(sub)) continue;
    for (const [key, value] of Object.entries(sub)) {
      if (key === 'properties' && isRecord(value)) {
        out.properties = { ...(isRecord(out.properties) ? out.properties : {}), ...value };
      } else if (key === 'required' && Array.isArray(value)) {
        out.required = [...(Array.isArray(out.required) ? out.required : []), ...value];
      } else if (!(key in out)) {
        out[key] = value;
      }
    }
  }
  return out;
}

/** `anyOf`/`oneOf`: a `null` variant becomes `nullable`; a single remaining variant is inlined. */
function cleanUnion(node: Schema, variants: unknown[], root: Schema, refs: string[]): Schema {
  const { anyOf: _a, oneOf: _o, ...rest } = node;
  const isNull = (v: unknown): boolean => isRecord(v) && v.type === 'null';
  const kept = variants.filter((v) => !isNull(v));
  const nullable = kept.length < variants.length;
  const base = cleanSingle(rest, root, refs);
  if (kept.length === 1) {
    const only = clean(kept[0], root, refs);
    return withNullable({ ...only, ...annotations(base) }, nullable || base.nullable === true);
  }
  const out: Schema = { ...base, anyOf: kept.map((v) => clean(v, root, refs)) };
  return withNullable(out, nullable);
}

/** `type: ['string', 'null']` → `type: 'string', nullable: true`; several types become `anyOf`. */
function cleanTypeList(node: Schema, types: unknown[], root: Schema, refs: string[]): Schema {
  const names = types.filter((t): t is string => typeof t === 'string' && t !== 'null');
  const nullable = names.length < types.length;
  if (names.length === 0) return withNullable({}, nullable);
  if (names.length === 1) return withNullable(cleanSingle({ ...node, type: names[0] }, root, refs), nullable);
  const out: Schema = { ...annotations(cleanSingle({ ...node, type: undefined }, root, refs)) };
  out.anyOf = names.map((type) => cleanSingle({ ...node, type }, root, refs));
  return withNullable(out, nullable);
}

function annotations(schema: Schema): Schema {
  const out: Schema = {};
  if (schema.title !== undefined) out.title = schema.title;
  if (schema.description !== undefined) out.description = schema.description;
  return out;
}

function withNullable(schema: Schema, nullable: boolean): Schema {
  return nullable ? { ...schema, nullable: true } : schema;
}

function cleanSingle(node: Schema, root: Schema, refs: string[]): Schema {
  const out: Schema = {};
  if (typeof node.type === 'string' && node.type !== 'null') out.type = node.type;
  if (node.type === 'null') out.nullable = true;
  const values = enumValues(node);
  if (values) {
    // Gemini takes enums on strings only; the values are stringified to match.
    out.type = 'string';
    out.enum = values;
    if (node.enum !== undefined && Array.isArray(node.enum) && node.enum.includes(null)) out.nullable = true;
  }
  if (typeof node.format === 'string' && out.type === 'string' && STRING_FORMATS.includes(node.format)) out.format = node.format;
  if (typeof node.title === 'string') out.title = node.title;
  if (typeof node.description === 'string') out.description = node.description;
  if (node.nullable === true) out.nullable = true;
  if (isRecord(node.properties)) {
    const properties: Schema = {};
    for (const [name, sub] of Object.entries(node.properties)) properties[name] = clean(sub, root, refs);
    if (Object.keys(properties).length > 0) out.properties = properties;
    const required = Array.isArray(node.required)
      ? [...new Set(node.required.filter((n): n is string => typeof n === 'string' && n in properties))]
      : [];
    if (required.length > 0) out.required = required;
  }
  const items = Array.isArray(node.items) ? node.items[0] : node.items;
  if (isRecord(items)) out.items = clean(items, root, refs);
  for (const key of NUMBER_KEYS) if (typeof node[key] === 'number') out[key] = node[key];
  return out;
}

function enumValues(node: Schema): string[] | undefined {
  if (node.const !== undefined && node.const !== null) return [String(node.const)];
  if (!Array.isArray(node.enum)) return undefined;
  const values = node.enum.filter((v) => v !== null).map(String);
  return values.length > 0 ? values : undefined;
}

/**
 * The other way: a Gemini `Schema` (OpenAPI subset, often with upper-case `OBJECT`/`STRING`
 * types from the SDKs' Type enum) → plain JSON Schema for the IR, since other upstreams
 * validate tool schemas as JSON Schema.
 */
export function jsonSchemaFromGoogle(schema: unknown): Schema {
  if (!isRecord(schema)) return {};
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'propertyOrdering') continue;
    if (key === 'format' && value === 'enum') continue;
    if (key === 'type' && typeof value === 'string') out.type = value.toLowerCase();
    else if (key === 'properties' && isRecord(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSchemaFromGoogle(v)]));
    } else if (key === 'items') out.items = jsonSchemaFromGoogle(value);
    else if (key === 'anyOf' && Array.isArray(value)) out.anyOf = value.map(jsonSchemaFromGoogle);
    else out[key] = value;
  }
  if (schema.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}
