import { describe, expect, it } from 'vitest';
import { cleanSchema, jsonSchemaFromGoogle } from '../../src/dialect-kit/openapi-schema.js';
import { MAX_SCHEMA_DEPTH, measureRequestSchemas, SchemaBudget } from '../../src/dialect-kit/schema-budget.js';
import { GatewayError } from '../../src/errors.js';
import { explodingSchema, nestedSchema } from '../support/hostile-schemas.js';

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected a GatewayError');
}

describe('schema budget', () => {
  it('inlines a $ref used in several places once per use, converting it only once', () => {
    const out = cleanSchema(explodingSchema(4));
    const root = (out.properties as Record<string, Record<string, unknown>>).root!;
    const left = (root.properties as Record<string, unknown>).left;
    // The same converted object in both places: the definition was converted once.
    expect(left).toBe((root.properties as Record<string, unknown>).right);
    expect(JSON.stringify(out).match(/"left"/g)).toHaveLength(1 + 2 + 4 + 8);
  });

  it('stops a schema whose $refs double per level with invalid_request naming the tool', () => {
    const budget = new SchemaBudget();
    const err = thrown(() => budget.within('tool "explode"', 'tools', () => cleanSchema(explodingSchema(40), budget)));
    expect(err.code).toBe('invalid_request');
    expect(err.param).toBe('tools');
    expect(err.message).toContain('tool "explode"');
  });

  it('shares one budget between the schemas of a request', () => {
    const budget = new SchemaBudget(100);
    cleanSchema(nestedSchema(60), budget);
    expect(() => budget.within('t', 'tools', () => cleanSchema(nestedSchema(60), budget))).toThrow(GatewayError);
  });

  it('still cuts a recursive $ref to an opaque object, even when reused', () => {
    const schema = {
      type: 'object',
      properties: { a: { $ref: '#/$defs/Node' }, b: { $ref: '#/$defs/Node' } },
      $defs: { Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } } } },
    };
    const node = { type: 'object', properties: { child: { type: 'object' } } };
    expect(cleanSchema(schema)).toEqual({ type: 'object', properties: { a: node, b: node } });
  });

  it('bounds the depth of every walk: Gemini cleaning, Gemini parsing, and the schemas other dialects forward', () => {
    const deep = nestedSchema(MAX_SCHEMA_DEPTH + 5);
    const budget = new SchemaBudget();
    expect(thrown(() => budget.within('x', 'tools', () => cleanSchema(deep, budget))).code).toBe('invalid_request');
    expect(thrown(() => budget.within('x', 'tools', () => jsonSchemaFromGoogle(deep, budget))).code).toBe('invalid_request');
    const err = thrown(() => measureRequestSchemas({ tools: [{ name: 'deep_tool', parameters: nestedSchema(100_000) }] }));
    expect(err.message).toContain('tool "deep_tool"');
    expect(() => measureRequestSchemas({ tools: [{ name: 'fine', parameters: nestedSchema(10) }] })).not.toThrow();
  });

  it('takes a malformed escape in a $ref as written instead of failing', () => {
    expect(cleanSchema({ type: 'object', properties: { x: { $ref: '#/$defs/%E0' } } })).toEqual({ type: 'object', properties: { x: {} } });
  });
});
