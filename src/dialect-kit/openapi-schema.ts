/**
 * JSON Schema → the OpenAPI subset Gemini takes in `parameters` and `responseSchema`
 * (https://ai.google.dev/api/caching#Schema). Anything outside the subset is dropped,
 * because Gemini answers 400 to a field it does not know; local `$ref`s are inlined since
 * the subset has no references.
 */
import { isRecord } from './json.js';
import { SchemaBudget } from './schema-budget.js';

type Schema = Record<string, unknown>;

/** String formats Gemini accepts (the Schema page lists `enum` and `date-time`). */
const STRING_FORMATS: readonly string[] = ['enum', 'date-time'];
const NUMBER_KEYS = ['minItems', 'maxItems', 'minimum', 'maximum'] as const;

/** One schema's walk: its root, the request's budget, and the `$ref`s already converted. */
interface Walk {
  root: Schema;
  budget: SchemaBudget;
  /** A converted `$ref` target and the nodes it stands for; only those that met no cycle. */
  memo: Map<string, { schema: Schema; nodes: number }>;
  /** Cycles cut so far: a conversion that cut one depends on its path and is not reused. */
  cuts: number;
  produced: number;
}

/**
 * Every node produced counts against `budget`, which the request's schemas share; over
 * budget, or nested too deep, the walk stops with an error naming nothing (the caller
 * runs it `within` a label). A `$ref` converted once is reused, but its nodes count again
 * wherever it is inlined, since the upstream body holds each copy.
 */
export function cleanSchema(schema: unknown, budget = new SchemaBudget()): Schema {
  const walk: Walk = { root: isRecord(schema) ? schema : {}, budget, memo: new Map(), cuts: 0, produced: 0 };
  return clean(schema, walk, [], 0);
}

/** `#/$defs/Name`-style pointers into the root document, or undefined when not local. */
function resolvePointer(root: Schema, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = safeDecode(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isRecord(node)) return undefined;
    node = node[key];
  }
  return node;
}

/** A malformed escape in a pointer names no definition; it is taken as written rather than failing the request. */
function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function clean(node: unknown, walk: Walk, refs: string[], depth: number): Schema {
  if (!isRecord(node)) return {};
  walk.budget.enter(depth);
  const ref = node.$ref;
  if (typeof ref === 'string') return cleanRef(node, ref, walk, refs, depth);
  if (Array.isArray(node.allOf)) return clean(mergeAllOf(node), walk, refs, depth);
  const variants = node.anyOf ?? node.oneOf;
  if (Array.isArray(variants)) return cleanUnion(node, variants, walk, refs, depth);
  if (Array.isArray(node.type)) return cleanTypeList(node, node.type, walk, refs, depth);
  return cleanSingle(node, walk, refs, depth);
}

function cleanRef(node: Schema, ref: string, walk: Walk, refs: string[], depth: number): Schema {
  // A recursive type cannot be inlined; an opaque object is the closest Gemini can take.
  if (refs.includes(ref)) {
    walk.cuts += 1;
    walk.budget.spend();
    walk.produced += 1;
    return { type: 'object' };
  }
  const { $ref: _ref, ...siblings } = node;
  const plain = Object.keys(siblings).length === 0;
  const known = plain ? walk.memo.get(ref) : undefined;
  if (known) {
    walk.budget.spend(known.nodes);
    walk.produced += known.nodes;
    return known.schema;
  }
  const target = resolvePointer(walk.root, ref);
  const inlined = isRecord(target) ? { ...target, ...siblings } : siblings;
  const [cuts, produced] = [walk.cuts, walk.produced];
  const schema = clean(inlined, walk, [...refs, ref], depth);
  if (plain && walk.cuts === cuts) walk.memo.set(ref, { schema, nodes: walk.produced - produced });
  return schema;
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
function cleanUnion(node: Schema, variants: unknown[], walk: Walk, refs: string[], depth: number): Schema {
  const { anyOf: _a, oneOf: _o, ...rest } = node;
  const isNull = (v: unknown): boolean => isRecord(v) && v.type === 'null';
  const kept = variants.filter((v) => !isNull(v));
  const nullable = kept.length < variants.length;
  const base = cleanSingle(rest, walk, refs, depth);
  if (kept.length === 1) {
    const only = clean(kept[0], walk, refs, depth);
    return withNullable({ ...only, ...annotations(base) }, nullable || base.nullable === true);
  }
  const out: Schema = { ...base, anyOf: kept.map((v) => clean(v, walk, refs, depth + 1)) };
  return withNullable(out, nullable);
}

/** `type: ['string', 'null']` → `type: 'string', nullable: true`; several types become `anyOf`. */
function cleanTypeList(node: Schema, types: unknown[], walk: Walk, refs: string[], depth: number): Schema {
  const names = types.filter((t): t is string => typeof t === 'string' && t !== 'null');
  const nullable = names.length < types.length;
  if (names.length === 0) return withNullable({}, nullable);
  if (names.length === 1) return withNullable(cleanSingle({ ...node, type: names[0] }, walk, refs, depth), nullable);
  const out: Schema = { ...annotations(cleanSingle({ ...node, type: undefined }, walk, refs, depth)) };
  out.anyOf = names.map((type) => cleanSingle({ ...node, type }, walk, refs, depth + 1));
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

function cleanSingle(node: Schema, walk: Walk, refs: string[], depth: number): Schema {
  walk.budget.spend();
  walk.produced += 1;
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
    for (const [name, sub] of Object.entries(node.properties)) properties[name] = clean(sub, walk, refs, depth + 1);
    if (Object.keys(properties).length > 0) out.properties = properties;
    const required = Array.isArray(node.required)
      ? [...new Set(node.required.filter((n): n is string => typeof n === 'string' && n in properties))]
      : [];
    if (required.length > 0) out.required = required;
  }
  const items = Array.isArray(node.items) ? node.items[0] : node.items;
  if (isRecord(items)) out.items = clean(items, walk, refs, depth + 1);
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
export function jsonSchemaFromGoogle(schema: unknown, budget = new SchemaBudget(), depth = 0): Schema {
  if (!isRecord(schema)) return {};
  budget.enter(depth);
  budget.spend();
  const inner = (value: unknown): Schema => jsonSchemaFromGoogle(value, budget, depth + 1);
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable' || key === 'propertyOrdering') continue;
    if (key === 'format' && value === 'enum') continue;
    if (key === 'type' && typeof value === 'string') out.type = value.toLowerCase();
    else if (key === 'properties' && isRecord(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, inner(v)]));
    } else if (key === 'items') out.items = inner(value);
    else if (key === 'anyOf' && Array.isArray(value)) out.anyOf = value.map(inner);
    else out[key] = value;
  }
  if (schema.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  return out;
}
