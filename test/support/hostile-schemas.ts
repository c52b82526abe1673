/** Schemas built to make a converter work hard (test/dialect-kit, test/integration). */

/** Definitions that each reference the next one twice: inlined, the schema doubles per level. */
export function explodingSchema(levels: number): Record<string, unknown> {
  const defs: Record<string, unknown> = {};
  for (let i = 0; i < levels; i++) {
    const next = i + 1 < levels ? { $ref: `#/$defs/L${i + 1}` } : { type: 'string' };
    defs[`L${i}`] = { type: 'object', properties: { left: next, right: next } };
  }
  return { type: 'object', properties: { root: { $ref: '#/$defs/L0' } }, $defs: defs };
}

/** A schema nested `depth` objects deep through `properties`. */
export function nestedSchema(depth: number): Record<string, unknown> {
  let node: Record<string, unknown> = { type: 'string' };
  for (let i = 0; i < depth; i++) node = { type: 'object', properties: { inner: node } };
  return node;
}

/** The JSON text of a schema nested `depth` objects deep: JSON.stringify itself overflows the stack on such nesting. */
export function nestedSchemaText(depth: number): string {
  return '{"type":"object","properties":{"inner":'.repeat(depth) + '{"type":"string"}' + '}}'.repeat(depth);
}
